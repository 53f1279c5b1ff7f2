from django.urls import URLPattern, path

from alongside.reports import export_views, funder_views, views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/funder/", funder_views.funder, name="funder"),
    path("reports/funder/report.pdf", funder_views.funder_pdf, name="funder_pdf"),
    path("reports/funder/report.xlsx", funder_views.funder_xlsx, name="funder_xlsx"),
    path("reports/export/<slug:list_name>/", export_views.export, name="export"),
]

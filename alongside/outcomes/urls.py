from django.urls import path

from alongside.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("survey/<str:token>/", views.answer, name="answer"),
    path("outcomes/", views.figures, name="figures"),
    path("outcomes/<slug:program_slug>/export.csv", views.export, name="export"),
    path(
        "outcomes/<slug:program_slug>/instruments/",
        views.choose_instruments,
        name="choose_instruments",
    ),
]

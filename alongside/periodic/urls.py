from django.urls import path

from alongside.periodic import views

app_name = "periodic"
urlpatterns = [
    path("background-jobs/", views.jobs, name="jobs"),
    path("background-jobs/failures/<int:failure_id>/retry/", views.retry_now, name="retry_now"),
]

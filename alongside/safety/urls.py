from django.urls import path

from alongside.safety import views

app_name = "safety"
urlpatterns = [
    path("matches/<int:match_id>/escalate/", views.raise_for_match, name="raise_for_match"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/<int:escalation_id>/", views.escalation_detail, name="escalation_detail"),
    path("escalations/<int:escalation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("escalations/<int:escalation_id>/notes/", views.add_note, name="add_note"),
    path("escalations/<int:escalation_id>/resolve/", views.resolve, name="resolve"),
    path("on-call/", views.rota, name="rota"),
    path("on-call/<int:shift_id>/remove/", views.remove_shift, name="remove_shift"),
    path("on-call/my-phone/", views.my_urgent_contact, name="urgent_contact"),
]

from django.contrib import admin
from django.urls import include, path

from alongside.accounts import views as account_views
from alongside.api.routers import api
from alongside.health import views as health_views
from alongside.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("me/", home_views.my_page, name="my_page"),
    # /health/ is /health/ready, for the load balancers set up before there were two.
    path("health/", health_views.ready, name="health"),
    path("health/live", health_views.live, name="health_live"),
    path("health/ready", health_views.ready, name="health_ready"),
    path("health/metrics", health_views.metrics, name="health_metrics"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("", include("alongside.intake.urls")),
    path("", include("alongside.referrals.urls")),
    path("", include("alongside.matches.urls")),
    path("", include("alongside.matching.urls")),
    path("", include("alongside.resources.urls")),
    path("", include("alongside.outcomes.urls")),
    path("", include("alongside.supporters.urls")),
    path("", include("alongside.safety.urls")),
    path("", include("alongside.groups.urls")),
    path("", include("alongside.programs.urls")),
    path("", include("alongside.periodic.urls")),
    path("", include("alongside.notifications.urls")),
    path("", include("alongside.reports.urls")),
    path("", include("alongside.api.urls")),
    path("privacy/", include("alongside.privacy.urls")),
    path("", include("alongside.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("konsultasi/", views.consultation_list, name="list"),
    path("konsultasi/<slug:slug>/", views.consultation_detail, name="detail"),
    path("konsultasi/<slug:slug>/terima-kasih/", views.thanks, name="thanks"),
    path("konsultasi/<slug:slug>/hasil/", views.results, name="results"),
]

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("kegiatan/", views.event_list, name="list"),
    path("kegiatan/saya/", views.my_registrations, name="mine"),
    path("kegiatan/tiket/<str:code>/", views.ticket, name="ticket"),
    path("kegiatan/tiket/<str:code>/batal/", views.cancel, name="cancel"),
    path("kegiatan/<slug:slug>/", views.event_detail, name="detail"),
    path("kegiatan/<slug:slug>/daftar/", views.event_register, name="register"),
    path("kegiatan/<slug:slug>/kalender.ics", views.ics, name="ics"),
]

from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    path("anggota/daftar/", views.apply, name="apply"),
    path("anggota/daftar/terkirim/", views.apply_done, name="apply_done"),
    path("anggota/saya/", views.my_card, name="my_card"),
    path("anggota/saya/data.json", views.my_data, name="my_data"),
    path("persetujuan/<str:token>/", views.consent, name="consent"),
    path("wali/", views.guardian_home, name="guardian_home"),
    path("wali/daftarkan-anak/", views.guardian_apply, name="guardian_apply"),
    path("wali/anak/<int:member_id>/", views.guardian_child, name="guardian_child"),
    path("wali/anak/<int:member_id>/publikasi/", views.guardian_publication, name="guardian_publication"),
    path("wali/persetujuan/<int:request_id>/tarik/", views.guardian_withdraw, name="guardian_withdraw"),
    path("forum/<slug:slug>/pengurus/", views.board, name="board"),
]

from django.urls import path

from . import actions, views

app_name = "complaints"

complaint = "klachten/<str:reference>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("klachten/", views.complaint_list, name="list"),
    path("afspraken/<int:agreement_id>/afgerond/", views.complete_my_agreement, name="complete_my_agreement"),
    path(complaint, views.complaint_detail, name="detail"),
    path(complaint + "bijlagen/<int:attachment_id>/", views.attachment_download, name="attachment"),
    # The procedure's actions (POST only).
    path(complaint + "toewijzen/", actions.assign, name="assign"),
    path(complaint + "over-medewerker/", actions.link_person, name="link_person"),
    path(complaint + "over-medewerker/<int:person_id>/ontkoppelen/", actions.unlink_person, name="unlink_person"),
    path(complaint + "telefoongesprek/", actions.log_call, name="log_call"),
    path(complaint + "gesprek-plannen/", actions.plan_meeting, name="plan_meeting"),
    path(complaint + "gesprekken/<int:contact_id>/verplaatsen/", actions.reschedule_meeting, name="reschedule_meeting"),
    path(complaint + "gesprekken/<int:contact_id>/gehouden/", actions.meeting_held, name="meeting_held"),
    path(complaint + "gesprekken/<int:contact_id>/annuleren/", actions.cancel_meeting, name="cancel_meeting"),
    path(complaint + "gespreksverslag/", actions.record_discussion, name="record_discussion"),
    path(complaint + "afspraken/", actions.add_agreement, name="add_agreement"),
    path(complaint + "afspraken/<int:agreement_id>/afgerond/", actions.complete_agreement, name="complete_agreement"),
    path(complaint + "termijn-verlengen/", actions.extend, name="extend"),
    path(complaint + "afsluiten/", actions.close, name="close"),
    path(complaint + "heropenen/", actions.reopen, name="reopen"),
    path(complaint + "intrekken/", actions.withdraw, name="withdraw"),
]

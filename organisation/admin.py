from django.contrib import admin

from .models import ClosureDay, OrganisationSettings

admin.site.register(OrganisationSettings)
admin.site.register(ClosureDay)

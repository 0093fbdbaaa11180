"""The administrator's changes to staff accounts and to the organisation's settings.

Each is one atomic function with the acting administrator, and each writes one entry to the
administration log (organisation.audit). Role changes and deactivations lock the two role
groups that must never be left empty, so two administrators acting at once cannot together
remove the last quality manager or the last administrator."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import queue_invitation
from accounts.models import RecoveryCodeDevice, User
from accounts.permissions import is_administrator
from accounts.roles import Role
from api.models import ApiToken
from organisation import audit
from organisation.models import AdminAction, OrganisationSettings
from organisation.selectors import get_organisation

# Roles of which at least one active holder must always remain.
ALWAYS_HELD = (Role.QUALITY_MANAGER, Role.PRIVACY_OFFICER)
DETAIL_FIELDS = ("first_name", "last_name", "email", "job_title")


class AdministrationError(Exception):
    """The change is not allowed; the message says why, in the user's language."""


def _require_administrator(by: User) -> None:
    if not is_administrator(by):
        raise AdministrationError(_("Only an administrator manages staff and the organisation's settings."))


def role_labels(roles: Iterable[str]) -> str:
    labels = [str(Role(role).label) for role in Role.values if role in set(roles)]
    return ", ".join(labels) or _("no role")


def _lock_guarded_roles() -> None:
    list(Group.objects.select_for_update().filter(name__in=ALWAYS_HELD).order_by("pk"))


def _log_language() -> translation.override:
    """The log is written in the site's language, whatever the administrator reads."""
    return translation.override(settings.LANGUAGE_CODE)


def _check_roles_remain(*, user: User, keeps: frozenset[str]) -> None:
    """Raise when `user` is the last active holder of a role that must remain and loses it.
    Only holders who can log in count: an invitation not yet accepted does not."""
    messages = {
        Role.QUALITY_MANAGER: _(
            "%(name)s is the last active quality manager. Give another staff member that role first."
        ),
        Role.PRIVACY_OFFICER: _(
            "%(name)s is the last active administrator. Give another staff member that role first."
        ),
    }
    current = frozenset(user.groups.values_list("name", flat=True)) if user.is_active else frozenset()
    for role in ALWAYS_HELD:
        if role in current and role not in keeps:
            others = (
                User.objects.filter(is_active=True, groups__name=role)
                .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
                .exclude(pk=user.pk)
            )
            if not others.exists():
                raise AdministrationError(messages[role] % {"name": user.display_name})


def _set_roles(user: User, roles: Iterable[str]) -> None:
    names = set(roles)
    for role in names:
        Group.objects.get_or_create(name=role)
    user.groups.set(Group.objects.filter(name__in=names))
    user.__dict__.pop("roles", None)


def invite_staff(
    *,
    by: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    roles: Iterable[str] = (),
) -> User:
    """A new staff account without a password, and the invitation mail to choose one."""
    _require_administrator(by)
    roles = frozenset(roles)
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email, job_title=job_title)
        user.set_unusable_password()
        user.save()
        _set_roles(user, roles)
        with _log_language():
            detail = _("Roles: %(roles)s") % {"roles": role_labels(roles)}
        audit.record(by=by, subject=user, action=AdminAction.INVITED, detail=detail)
        queue_invitation(user=user, invited_by=by)
    return user


def has_accepted_invitation(user: User) -> bool:
    return user.has_usable_password()


def resend_invitation(*, user: User, by: User) -> None:
    _require_administrator(by)
    if not user.is_active:
        raise AdministrationError(_("%(name)s is deactivated; reactivate the account first.") % {"name": user})
    if has_accepted_invitation(user):
        raise AdministrationError(
            _("%(name)s has chosen a password already; they can use “Forgot your password?” on the login page.")
            % {"name": user.display_name}
        )
    with transaction.atomic():
        audit.record(by=by, subject=user, action=AdminAction.INVITATION_RESENT)
        queue_invitation(user=user, invited_by=by)


def update_staff(
    *, user: User, by: User, first_name: str, last_name: str, email: str, job_title: str, roles: Iterable[str]
) -> bool:
    """Change a staff member's details and roles; False when nothing changed."""
    _require_administrator(by)
    roles = frozenset(roles)
    new_details = {"first_name": first_name, "last_name": last_name, "email": email, "job_title": job_title}
    with transaction.atomic():
        _lock_guarded_roles()
        current = User.objects.select_for_update().get(pk=user.pk)
        old_roles = frozenset(current.groups.values_list("name", flat=True))
        with _log_language():
            changes = {
                audit.field_label(User, name): (getattr(current, name), value)
                for name, value in new_details.items()
                if getattr(current, name) != value
            }
            details_detail = audit.describe_changes(changes)
            roles_detail = f"{role_labels(old_roles)} → {role_labels(roles)}"
        update_fields = list(new_details)
        if Role.PRIVACY_OFFICER in old_roles - roles and (current.is_staff or current.is_superuser):
            # The Django admin rights came with the administrator role; they go with it.
            current.is_staff = current.is_superuser = False
            update_fields += ["is_staff", "is_superuser"]
        if changes:
            for name, value in new_details.items():
                setattr(current, name, value)
            audit.record(by=by, subject=current, action=AdminAction.DETAILS_CHANGED, detail=details_detail)
        if roles != old_roles:
            _check_roles_remain(user=current, keeps=roles)
            _set_roles(current, roles)
            audit.record(by=by, subject=current, action=AdminAction.ROLES_CHANGED, detail=roles_detail)
        if changes or len(update_fields) > len(new_details):
            current.save(update_fields=update_fields)
    user.is_staff, user.is_superuser = current.is_staff, current.is_superuser
    for name, value in new_details.items():
        setattr(user, name, value)
    user.__dict__.pop("roles", None)
    return bool(changes) or roles != old_roles


def deactivate_staff(*, user: User, by: User) -> int:
    """The account stops working at once: its sessions are refused (the authentication backend
    loads active users only) and its API tokens are revoked. Returns the number of tokens revoked."""
    _require_administrator(by)
    if user.pk == by.pk:
        raise AdministrationError(_("You cannot deactivate your own account; ask another administrator."))
    with transaction.atomic():
        _lock_guarded_roles()
        current = User.objects.select_for_update().get(pk=user.pk)
        if not current.is_active:
            raise AdministrationError(_("%(name)s is deactivated already.") % {"name": current.display_name})
        _check_roles_remain(user=current, keeps=frozenset())
        current.is_active, current.deactivated_at = False, timezone.now()
        current.save(update_fields=["is_active", "deactivated_at"])
        revoked = ApiToken.objects.filter(user=current, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
        with _log_language():
            detail = (
                ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", revoked) % {"count": revoked}
                if revoked
                else ""
            )
        audit.record(by=by, subject=current, action=AdminAction.DEACTIVATED, detail=detail)
    user.is_active = False
    return revoked


def reactivate_staff(*, user: User, by: User) -> None:
    """The account works again with its old password and second factor; revoked tokens stay revoked."""
    _require_administrator(by)
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True, deactivated_at=None)
        if not updated:
            raise AdministrationError(_("%(name)s is active already.") % {"name": user.display_name})
        audit.record(by=by, subject=user, action=AdminAction.REACTIVATED)
    user.is_active = True


def reset_second_factor(*, user: User, by: User) -> None:
    """Remove the authenticator and recovery codes: the person sets up a new one at next login."""
    _require_administrator(by)
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True).count()
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        if not devices:
            raise AdministrationError(
                _("%(name)s has not set up two-step login; there is nothing to reset.") % {"name": user.display_name}
            )
        audit.record(by=by, subject=user, action=AdminAction.SECOND_FACTOR_RESET)


ORGANISATION_FIELDS = (
    "name",
    "street_address",
    "postal_code_city",
    "mailing_address",
    "phone",
    "quality_inbox",
    "privacy_contact_name",
    "privacy_contact_email",
    "legal_basis",
    "health_data_basis",
    "processors",
    "transfers",
    "deputy",
    "retention_months",
    "publish_annual_report",
)


def update_organisation(
    *, by: User, values: dict[str, object], logo: tuple[str, bytes] | None = None, remove_logo: bool = False
) -> OrganisationSettings:
    """Change the organisation's details. `logo` is (name, content) of a checked image."""
    _require_administrator(by)
    with transaction.atomic():
        organisation = OrganisationSettings.objects.select_for_update().get(pk=get_organisation().pk)
        changes: dict[str, tuple[object, object]] = {}
        with _log_language():
            for name in ORGANISATION_FIELDS:
                old, new = getattr(organisation, name), values[name]
                if old != new:
                    changes[audit.field_label(OrganisationSettings, name)] = (old, new)
                    setattr(organisation, name, new)
            logo_label = audit.field_label(OrganisationSettings, "logo")
            old_logo = organisation.logo.name if organisation.logo else ""
            if logo is not None:
                name, content = logo
                organisation.logo.save(name, ContentFile(content), save=False)
                changes[logo_label] = (_("replaced") if old_logo else "", _("new image"))
            elif remove_logo and old_logo:
                organisation.logo = ""
                changes[logo_label] = (_("image"), "")
            detail = audit.describe_changes(changes)
        if changes:
            organisation.save()
            audit.record(by=by, action=AdminAction.SETTINGS_CHANGED, detail=detail)
        if old_logo and (logo is not None or remove_logo):
            # The old file only after commit: a rolled-back change still finds its logo.
            storage = organisation.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return organisation


def create_administrator(*, username: str, email: str, first_name: str, last_name: str) -> User:
    """An administrator made on the command line (the first one of a new installation): the
    administrator role plus Django staff rights, and no password until the invitation link is used.
    Raises ValidationError for a taken user name or e-mail address, or a missing name."""
    errors: dict[str, list[str]] = {}
    if User.objects.filter(email__iexact=email.strip()).exists():
        errors["email"] = [_("Another account uses this e-mail address already.")]
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        if not value.strip():
            errors[field] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(
            username=username,
            email=email.strip(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            is_staff=True,
            is_superuser=True,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        _set_roles(user, [Role.PRIVACY_OFFICER])
        with _log_language():
            detail = _("Made on the command line. Roles: %(roles)s") % {"roles": role_labels([Role.PRIVACY_OFFICER])}
        audit.record(by=None, subject=user, action=AdminAction.INVITED, detail=detail)
    return user

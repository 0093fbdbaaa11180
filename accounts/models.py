import hashlib
import hmac
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from .roles import Role

# Between role names in the `role_names` annotation; role names are plain words.
ROLE_SEPARATOR = "\n"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def recovery_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


class User(AbstractUser):  # type: ignore[django-manager-missing]  # the device models come from an untyped package
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    # When the account was deactivated: its name and contact details go after
    # STAFF_ACCOUNT_RETENTION_MONTHS (privacy.retention).
    deactivated_at = models.DateTimeField(_("deactivated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's role names, read once per request instead of once per check (and not at
        all when the user was loaded `with_roles`)."""
        if not self.is_active or not self.pk:
            return frozenset()
        loaded: str | None = getattr(self, "role_names", None)
        if loaded is not None:
            return frozenset(loaded.split(ROLE_SEPARATOR)) if loaded else frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    @classmethod
    def with_roles(cls) -> "models.QuerySet[User]":
        """Users with their role names read in the same query (`roles` then asks nothing): the
        user of every logged-in request is loaded this way, which saves each page a query."""
        membership = cls.groups.through.objects.filter(user_id=OuterRef("pk"))
        grouped = membership.values("user_id").annotate(names=StringAgg("group__name", Value(ROLE_SEPARATOR)))
        names = grouped.values("names")  # type: ignore[misc]  # the stubs do not see the annotation
        return cls.objects.annotate(role_names=Coalesce(Subquery(names), Value(""), output_field=models.TextField()))

    @classmethod
    def active_staff(cls) -> "models.QuerySet[User]":
        """Active accounts holding at least one role, by name: whom a complaint can be about,
        or who can carry out an agreement."""
        return (
            cls.objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )

    @property
    def role_labels(self) -> list[str]:
        """The names of the roles the account holds, for people; also of a deactivated account,
        whose roles are kept but have no effect."""
        loaded: str | None = getattr(self, "role_names", None)
        if loaded is not None:
            names = set(loaded.split(ROLE_SEPARATOR)) if loaded else set()
        else:
            names = set(self.groups.values_list("name", flat=True))
        return [str(role.label) for role in Role if role in names]

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RecoveryCodeDevice(ThrottlingMixin, Device):  # type: ignore[misc]  # django-otp ships no type information
    """One-time recovery codes for when the authenticator app is lost.

    The codes are kept only as keyed hashes; a user sees them once, when they are made."""

    class Meta(Device.Meta):  # type: ignore[misc]  # django-otp ships no type information
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: object) -> bool:
        verify_allowed, _reason = self.verify_is_allowed()
        if not verify_allowed:
            return False
        digest = recovery_digest(str(token))
        # The conditional update consumes a code exactly once, even when two requests race.
        used = self.codes.filter(digest=digest, used_at__isnull=True).update(used_at=timezone.now())
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, models.CASCADE, related_name="codes")
    # HMAC-SHA256 of the normalised code under SECRET_KEY; looked up by the login step.
    digest = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device.user} ({'used' if self.used_at else 'unused'})"

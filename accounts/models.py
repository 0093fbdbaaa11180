from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from .roles import Role


class User(AbstractUser):  # type: ignore[django-manager-missing]  # the device models come from an untyped package
    job_title = models.CharField(_("job title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's role names, read once per request instead of once per check."""
        if not self.is_active or not self.pk:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """One-time recovery codes for when the authenticator app is lost.

    The codes are kept only as keyed hashes; a user sees them once, when they are made."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: object) -> bool:
        from .twofactor import recovery_digest

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

"""Back-office pages where administrators issue and revoke API tokens."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest
from accounts.permissions import administrator_required

from .forms import IssueTokenForm
from .models import ApiToken
from .tokens import issue_token, revoke_token


@never_cache
@administrator_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = IssueTokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, new_token = issue_token(user=form.cleaned_data["user"], name=form.cleaned_data["name"], by=user)
            messages.success(
                request, _('Token "%(name)s" issued for %(user)s.') % {"name": token.name, "user": token.user}
            )
            # The token is shown on this response only; it is not stored, so there is no redirect.
            form = IssueTokenForm()
        else:
            status = 400
    tokens = ApiToken.objects.select_related("user", "created_by", "revoked_by")[:500]
    return render(
        request, "api/token_list.html", {"form": form, "tokens": tokens, "new_token": new_token}, status=status
    )


@require_POST
@administrator_required
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    token = get_object_or_404(ApiToken, pk=pk)
    if revoke_token(token=token, by=user):
        messages.success(request, _('Token "%(name)s" revoked.') % {"name": token.name})
    return redirect("api_tokens:list")

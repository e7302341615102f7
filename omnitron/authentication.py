"""Token authentication against hashed tokens (``Authorization: Token <key>``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from omnitron.tokens import token_authenticate


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header scheme, looked up by the key's digest; expired or revoked keys fail."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        if len(key) > 200 or "\x00" in key:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return token.user, token

"""Views of the channels app and the channel-scoping mixin used by every channel endpoint."""

from channels.selectors import channel_check_access


class ChannelScopedMixin:
    """For views under ``/api/v1/channel/{channel_id}/``: 404 unless the caller may see the channel.

    Runs after authentication, before any object lookup, so a foreign channel's data is never
    read. ``self.channel_id`` is the checked id.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.channel_id = int(kwargs["channel_id"])
        channel_check_access(user=request.user, channel_id=self.channel_id)

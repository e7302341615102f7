"""URL patterns mounted by omnitron/urls.py."""

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = []

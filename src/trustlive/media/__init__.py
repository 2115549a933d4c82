"""Live video: stream keys per room, the media server's configuration (nginx-rtmp by default)
and the publish callbacks that tie a stream to the room's live session.

Another media server (SRS, a CDN's ingest) fits behind the same use cases: `authorize_publish`
and `publish_done` are all a hook adapter calls, and the watchdog reads playlists over HTTP.
"""

from trustlive.media.service import KeyView, PublishGrant, authorize_publish, rotate_key

__all__ = ["KeyView", "PublishGrant", "authorize_publish", "rotate_key"]

"""The room channel: per-room hubs that coalesce events into frames for connected viewers."""

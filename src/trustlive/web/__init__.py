"""Web pages served by the app: buyer pages, seller consoles, operator pages. Sits on top."""

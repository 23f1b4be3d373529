# Publication as a background job with progress (issue 7).
job-title = Publishing the next edition
job-running = The edition is being rendered, signed and stored. This page refreshes itself every second.
job-progress = Files rendered: { $done } of { $total }
job-stage = Last finished: { $file }
job-refresh = Refresh now
job-done = Edition { $edition } is published.
job-see-list = See the List
job-see-editions = All editions
job-failed = Nothing was published
job-error-changed = Changes to the List arrived while the edition was being rendered. Publish again to include them.
job-error-interrupted = The server stopped while rendering. Publish again.
job-error-internal = Publication failed because of an error on the server; it has been logged. Try again, and tell the administrator if it happens again.
job-back = Back to publication

# The intake of uploaded documents (services/uploads.rs).
docs-file-limits = At most { $pages } pages; not encrypted or password-protected.
err-upload-malformed = The file could not be read as a PDF: it is damaged or incomplete. Save it again from the program that made it and upload the new file.
err-upload-encrypted = The PDF is encrypted or protected by a password. Save a copy without protection and upload that.
err-upload-no_pages = The PDF has no pages.
err-upload-too_many_pages = The PDF has more pages than one document may have.
err-upload-infected = The malware check found a threat in this file. It was not accepted.
err-upload-scan_unavailable = The file could not be checked for malware just now, so it was not accepted. Nothing else was lost: try uploading it again later.
problem-unavailable = Temporarily unavailable

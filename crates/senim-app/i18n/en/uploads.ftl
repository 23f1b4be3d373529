# The intake of uploaded documents (services/uploads.rs).
docs-file-limits = A PDF of at most { $pages } pages; not encrypted or password-protected; no JavaScript, launch actions or embedded files.
err-upload-malformed = The file could not be read as a PDF: it is damaged or incomplete. Save it again from the program that made it and upload the new file.
err-upload-encrypted = The PDF is encrypted or protected by a password. Save a copy without protection and upload that.
err-upload-no_pages = The PDF has no pages.
err-upload-too_many_pages = The PDF has more pages than one document may have.
err-upload-infected = The malware check found a threat in this file. It was not accepted.
err-upload-scan_unavailable = The file could not be checked for malware just now, so it was not accepted. Nothing else was lost: try uploading it again later.
err-upload-too_complex = The PDF could not be checked within the limits for one document: its contents expand too far, nest too deeply or take too long to read. Save it again from the program that made it (for example "Save as PDF/A" or "Print to PDF") and upload the new file.
err-upload-active_content = The PDF contains JavaScript, a launch action or embedded files, which documents for a state body may not carry. Save a copy without them (for example "Print to PDF") and upload that.
err-upload-unavailable = The file could not be checked just now, so it was not accepted. Nothing else was lost: try uploading it again in a few minutes.
problem-unavailable = Temporarily unavailable

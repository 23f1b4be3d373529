# The deadline engine: dashboards, reminders, and the audit-report cross-check (issue 4).

nav-dashboard = Dashboard
dash-title = Dashboard
dash-lead = Applications received and decided against the Rules' deadlines: 10 working days for an examination (§6), 5 for a resubmission (§8), 5 to publish an inclusion (§7).
dash-period = Period
dash-from = From
dash-to = To
dash-show = Show
dash-all-bodies = All bodies
dash-period-text = From { $from } to { $to }; overdue cases as of today.
dash-received = Received
dash-received-split = (first: { $first }, resubmitted: { $resubmissions })
dash-decided = Decided
dash-included = Included
dash-nonconforming = Notices of nonconformity
dash-median = Median working days to decision
dash-share = Decided within the deadline
dash-overdue = Overdue now
dash-of-open = of { $open } open
dash-due-soon = Due within two working days
dash-publications = Inclusions awaiting publication
dash-publications-overdue = (overdue: { $count })
dash-chart-months = Received and decided by month
dash-chart-months-desc = Bars per month for the last twelve months: applications received and decisions taken. The table below gives the same figures.
dash-as-table = The figures as a table
dash-month = Month
dash-chart-outcomes = Decisions in the period
dash-chart-outcomes-desc = Numbers of inclusions, notices of nonconformity, decisions within and after the deadline, and cases overdue now.
dash-within = Within the deadline
dash-late = After the deadline
dash-chart-bodies = Share decided within the deadline, by body
dash-chart-bodies-desc = One bar per body: the percentage of decisions in the period taken within the deadline. The table below gives every figure per body.
dash-by-body = By body
dash-method = Each submission and resubmission is counted as a case with its own deadline. Working days are counted from the day of registration, as the deadline is; the calendar is the one in force.
err-date-invalid = Enter a date as YYYY-MM-DD
err-period-order = The end of the period must not be before its start

point-name = Name of the system
point-purpose_area = Purpose and area of application
point-functionality = Functionality
point-goals_conditions = Goals and conditions of use
point-given = given
point-missing = missing

crosscheck-title = Audit report against the application ({ rule-6-audit })
crosscheck-caption = Where each fact of the application appears in the audit report
crosscheck-fact = Fact
crosscheck-in-application = In the application
crosscheck-in-report = In the audit report
crosscheck-hint = Found automatically in the report's text, ignoring case, line breaks and quotation marks. A missing fact may be written differently: open the report to confirm before deciding.
crosscheck-no-report = The round has no audit report.
crosscheck-unreadable = The audit report's text could not be read, so it cannot be compared automatically. Open the report and compare it yourself.
crosscheck-no-text = The audit report (pages: { $pages }) has no text layer: it is probably a scan. Nothing could be compared automatically; open the report and compare it yourself.
crosscheck-summary = The report's text (pages: { $pages }) was compared with the application; facts not found or found only in part: { $mismatches }.
fact-system_name = Name of the system
fact-owner_name = Owner or holder
fact-bin_iin = BIN/IIN
fact-auditor = Auditor
fact-audit_date = Date of the audit
fact-conclusions = Conclusions
finding-found = Found on page { $page }
finding-partial = Only in part: { $percent }% of the words on page { $page }
finding-missing = Not found
finding-not-given = Not stated in the application

reminder-line-round = { $stage ->
    [overdue] { $reference } «{ $system }»: the examination was due on { $due } and is overdue by { $days } working days (Rules §6). { $link }
   *[due_soon] { $reference } «{ $system }»: the examination is due on { $due }, { $days } working days left (Rules §6). { $link }
}
reminder-line-resubmission = { $stage ->
    [overdue] { $reference } «{ $system }» (resubmitted): the examination was due on { $due } and is overdue by { $days } working days (Rules §8). { $link }
   *[due_soon] { $reference } «{ $system }» (resubmitted): the examination is due on { $due }, { $days } working days left (Rules §8). { $link }
}
reminder-line-publication = { $stage ->
    [overdue] { $reference } «{ $system }»: publication was due on { $due } and is overdue by { $days } working days (Rules §7). { $link }
   *[due_soon] { $reference } «{ $system }»: publish by { $due }, { $days } working days left (Rules §7). { $link }
}
mail-reminder-subject = Senim: deadlines ({ $count }, overdue: { $overdue })
mail-reminder-body = Deadlines of the Rules that need your attention:
    
    { $items }
    
    Sign in to Senim to examine or publish. This reminder is sent once before each deadline and once when it is missed.

doc-read = read here
doc-back = Back to the examination
doc-download = Download the file (PDF)
doc-text-lead = The text of the document as its PDF carries it, page by page. Layout, images and signatures are only in the file itself: download it to see them.
doc-page = Page { $page }
ai-points-title = The AI audit's points
ai-points-lead = Under the rules for auditing information systems (Order No. 263, item 13-1 as amended by Order No. 102/НҚ) the audit of an AI system assesses both points. Below is where the report's text speaks of them; read it before deciding.
ai-point-training_data = Quality and lawfulness of the training data libraries
ai-point-prohibited_functionality = No functionality prohibited by Art. 17(3) of the Law "On Artificial Intelligence"
ai-point-missing = Not found in the report's text

# Events, registrations, waitlist and check-in come with their issue.

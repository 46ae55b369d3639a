from django.core.management.base import BaseCommand, CommandParser

from scrutineer.collection.actions.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Run the collection cycle's daily work: open the rounds the schedules say are due, then send "
        "the reminders due now — before the due date to data owners; when overdue to them and their "
        "approvers; for late approvals to approvers; later to performance officers — one email per "
        "person and step listing all their figures, and each exactly once per person and round, however "
        "often or however many copies of this command run (the outbox's unique constraint decides). "
        "Prints what it opened and sent. Run it daily from cron (docs/deployment.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Open and send nothing: print what would be opened and sent.",
        )

    def handle(self, *args: object, **options: object) -> None:
        dry = bool(options["dry_run"])
        run = send_due_reminders(dry_run=dry)
        for label in run.would_open:
            self.stdout.write(f"Would open the {label} round.")
        for round in run.opened:
            self.stdout.write(
                f"Opened the {round.period.label} round: figures due on {round.due_on:%d %B %Y}, "
                f"approvals on {round.approvals_due_on:%d %B %Y}."
            )
        if dry:
            for digest in run.due:
                self.stdout.write(
                    f"Would send “{digest.subject}” to {digest.address} ({digest.step.label.lower()})."
                )
                if int(str(options.get("verbosity", 1))) > 1:
                    self.stdout.write(digest.body(run.today))
        for digest in run.sent:
            self.stdout.write(f"Sent “{digest.subject}” to {digest.address} ({digest.step.label.lower()}).")
        for digest in run.claimed_elsewhere:
            self.stdout.write(
                f"Not sent to {digest.address}: another run sent “{digest.subject}” at the same time."
            )
        for digest, error in run.failed:
            self.stderr.write(
                f"Could not send “{digest.subject}” to {digest.address}: {error}. A later run retries."
            )
        for person in run.unreachable:
            figures = f"{person.items} figure{'s' if person.items != 1 else ''}"
            missed = f"{figures} of the {person.round.period.label} round not reminded ({person.step.label.lower()})"
            if person.deactivated:
                self.stderr.write(
                    f"{person.name} is deactivated: {missed}. Name another data owner or approver on "
                    f"their indicators' pages."
                )
            else:
                self.stderr.write(
                    f"No email address for {person.name}: {missed}. Add one to their person record or "
                    f"their account."
                )
        count = len(run.due) if dry else len(run.sent)
        verb = "Would send" if dry else "Sent"
        self.stdout.write(
            f"{verb} {count} reminder{'s' if count != 1 else ''}." if count else "Nothing to send."
        )

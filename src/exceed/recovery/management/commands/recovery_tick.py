from django.core.management.base import BaseCommand

from exceed.recovery.tasks import recovery_tick_run


class Command(BaseCommand):
    help = "Run recovery's periodic work once: evaluate pending responses, escalate overdue steps, send due follow-up surveys."

    def handle(self, *args, **options):
        result = recovery_tick_run()
        self.stdout.write(
            f"evaluated {result['evaluated']} response(s), escalated {result['escalated']} step(s), sent {result['followups']} follow-up(s)"
        )

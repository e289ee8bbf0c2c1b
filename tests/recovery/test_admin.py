"""The back office cannot bypass recovery's invariants (issue 6, item 7)."""

from exceed.recovery.models import RecoveryCase, RecoverySettings
from tests.recovery.factories import staff_case


def _superuser(cast, client):
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)


def test_the_admin_cannot_delete_a_recovery_case(cast, client):
    _superuser(cast, client)
    case = staff_case(cast)
    assert client.get(f"/admin/recovery/recoverycase/{case.pk}/delete/").status_code == 403
    client.post(
        "/admin/recovery/recoverycase/", {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"}
    )
    assert RecoveryCase.objects.filter(pk=case.pk).exists()


def test_the_admin_keeps_the_recovery_settings_a_single_row(cast, client):
    _superuser(cast, client)
    RecoverySettings.objects.get_or_create(pk=1)
    assert client.get("/admin/recovery/recoverysettings/add/").status_code == 403
    assert client.get("/admin/recovery/recoverysettings/1/delete/").status_code == 403
    assert RecoverySettings.objects.count() == 1

"""Issue 16 §6: lowering an event's capacity below the seats already held is refused, with a
message that says how many are held — by the admin form, by the service (under the event's row
lock) and by the database."""

import pytest
from django.db import DatabaseError, transaction
from django.utils import translation

from events import services
from events.models import Event, Registration
from tests.conftest import enable_totp, sign_in_with_second_factor

from .conftest import make_event, make_member
from .test_admin import form_data

R = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def three_held(city, consent_texts):
    """An event of Manggar with 5 seats, 3 of them held (children waiting for their guardian's consent)."""
    event = make_event(city["forums"]["64.71.01.1001"], capacity=5)
    for _ in range(3):
        member = make_member(city)
        assert services.register(event=event, user=member.user, actor=member.user).status == R.PENDING_CONSENT
    return event


def edit(client, event, **overrides):
    data = form_data(event.forum, title=event.title, slug=event.slug, **{"questions-TOTAL_FORMS": 0}, **overrides)
    return client.post(f"/admin/kegiatan/edit/{event.pk}/", data)


def test_the_admin_form_refuses_a_capacity_below_the_seats_held(client, fasilitator, three_held):
    enable_totp(fasilitator)
    sign_in_with_second_factor(client, fasilitator)
    response = edit(client, three_held, capacity=2)
    assert response.status_code == 200
    assert "Kursi yang sudah terisi: 3. Jumlah kursi tidak bisa kurang dari itu." in response.content.decode()
    three_held.refresh_from_db()
    assert three_held.capacity == 5
    # exactly the seats held is fine
    assert edit(client, three_held, capacity=3).status_code == 302
    three_held.refresh_from_db()
    assert three_held.capacity == 3


def test_the_service_refuses_it_too(three_held):
    class Form:  # what a form that did not check would hand over
        instance = Event.objects.get(pk=three_held.pk)

        def save(self):
            self.instance.save()
            return self.instance

    Form.instance.capacity = 1
    with pytest.raises(services.ValidationError) as refused:
        services.save_event(form=Form(), actor=None)
    assert refused.value.message_dict == {"capacity": ["Kursi yang sudah terisi: 3. Jumlah kursi tidak bisa kurang dari itu."]}
    assert Event.objects.get(pk=three_held.pk).capacity == 5


def test_the_database_refuses_it(three_held):
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=three_held.pk).update(capacity=2)
    assert Event.objects.get(pk=three_held.pk).capacity == 5
    Event.objects.filter(pk=three_held.pk).update(capacity=3)  # not below: allowed
    Event.objects.filter(pk=three_held.pk).update(title="Judul baru")  # other columns: untouched by the check
    assert Event.objects.get(pk=three_held.pk).capacity == 3


def test_the_message_is_translated():
    with translation.override("en"):
        assert services.capacity_below_held_message(3) == "Seats already held: 3. The number of seats cannot be lower than that."

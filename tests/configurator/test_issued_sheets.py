"""The issued sheet of a saved configuration: queued for the worker in the saving transaction, rendered once within
the sheet's limits, kept in PostgreSQL, and served as those bytes by every later download on any host."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from configurator import pdf
from configurator.models import IssuedSheet
from configurator.services import configuration_save, sheet_filename
from configurator.tasks import issued_sheet_render
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("shipped_catalog")

PAIR = {"battery": "weco-5k3-xp", "inverter": "deye-hybrid"}


@pytest.fixture
def renders(monkeypatch):
    """Every render of the bounded renderer, counted."""
    made = []
    real = pdf.html_to_pdf_bounded

    def counted(html, **limits):
        made.append(1)
        return real(html, **limits)

    monkeypatch.setattr("configurator.services.html_to_pdf_bounded", counted)
    return made


def sheet_jobs() -> list[ProcrastinateJob]:
    return list(ProcrastinateJob.objects.filter(task_name="issued_sheet_render"))


def test_saving_through_the_api_queues_the_sheet_for_the_worker_in_the_same_transaction():
    response = api_client().post("/api/v1/configurations/", {**PAIR, "packs": 2, "site_name": "Barn"}, format="json")
    assert response.status_code == 201
    public_id = response.json()["id"]
    (job,) = sheet_jobs()
    assert job.queue_name == "sheets"
    assert job.status == "todo"
    assert job.args == {
        "public_id": public_id,
        "public_url": f"http://testserver/c/{public_id}",
        "paper": "a4",
        "language": "en",
    }


def test_saving_in_the_wizard_queues_the_sheet_too(client):
    response = client.post(reverse("wizard_save"), {**PAIR, "packs": 3})
    assert response.status_code == 302
    public_id = response["Location"].rsplit("/", 1)[1]
    (job,) = sheet_jobs()
    assert job.args["public_id"] == public_id


def test_a_public_id_clash_is_drawn_again_and_queues_one_sheet_for_the_id_kept(monkeypatch):
    taken = configuration_save(**PAIR).public_id
    drawn = iter([taken, "AAAAAAAAAA"])
    monkeypatch.setattr("configurator.models.new_public_id", lambda: next(drawn))
    response = api_client().post("/api/v1/configurations/", {**PAIR, "packs": 2}, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == "AAAAAAAAAA"
    assert [job.args["public_id"] for job in sheet_jobs()] == ["AAAAAAAAAA"]  # none for the clashing draw


def test_a_refused_save_queues_nothing():
    response = api_client().post("/api/v1/configurations/", {**PAIR, "packs": 999}, format="json")
    assert response.status_code == 400
    assert sheet_jobs() == []


def test_the_worker_keeps_the_sheet_and_every_download_serves_those_bytes(client, renders, django_assert_num_queries):
    saved = configuration_save(**PAIR, site={"installer": "A. Fitter"})
    public_url = f"https://configurator.example/c/{saved.public_id}"

    assert issued_sheet_render(public_id=saved.public_id, public_url=public_url).startswith("kept ")
    kept = IssuedSheet.objects.get(configuration=saved)
    assert (kept.paper, kept.rendered_by, kept.public_url) == ("a4", "worker", public_url)
    assert bytes(kept.pdf).startswith(b"%PDF-")
    assert kept.size == len(kept.pdf)
    assert kept.render_ms > 0
    assert kept.peak_memory_mb > 0
    assert len(renders) == 1

    url = reverse("saved_sheet", args=[saved.public_id])
    with django_assert_num_queries(1):  # the kept sheet with its configuration's names
        first = client.get(url)
    with django_assert_num_queries(0):  # never changed, never deleted: this process has its bytes
        second = client.get(url.lower())  # as people type it
    assert first["X-Sheet-Cache"] == second["X-Sheet-Cache"] == "stored"
    assert first.content == second.content == bytes(kept.pdf)
    assert first["ETag"] == f'"{kept.sha256}"'
    expected_name = sheet_filename(
        site=saved.site, battery=saved.battery_slug, inverter=saved.inverter_slug, public_id=saved.public_id
    )
    assert second["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    api = api_client().get(f"/api/v1/configurations/{saved.public_id}/sheet.pdf")
    assert api.content == bytes(kept.pdf)
    assert api["X-Sheet-Cache"] == "stored"
    assert len(renders) == 1  # nothing rendered again

    assert issued_sheet_render(public_id=saved.public_id, public_url=public_url) == f"kept {kept.size} bytes (worker)"
    assert len(renders) == 1  # a job run twice renders once


def test_a_download_before_the_worker_renders_and_keeps_it_and_the_worker_then_has_nothing_to_do(client, renders):
    saved = configuration_save(**PAIR)
    url = reverse("saved_sheet", args=[saved.public_id])
    first = client.get(url)
    assert first["X-Sheet-Cache"] == "miss"
    kept = IssuedSheet.objects.get(configuration=saved)
    assert kept.rendered_by == "download"
    assert kept.public_url == f"http://testserver/c/{saved.public_id}"  # what the sheet prints
    assert client.get(url)["X-Sheet-Cache"] == "stored"
    assert issued_sheet_render(public_id=saved.public_id, public_url="https://elsewhere.example/c/x").endswith(
        "(download)"
    )
    assert len(renders) == 1


def test_each_paper_is_kept_on_its_own(client):
    saved = configuration_save(**PAIR)
    url = reverse("saved_sheet", args=[saved.public_id])
    a4, letter = client.get(url), client.get(url, {"paper": "letter"})
    assert a4.content != letter.content
    assert sorted(IssuedSheet.objects.filter(configuration=saved).values_list("paper", flat=True)) == ["a4", "letter"]
    assert client.get(url, {"paper": "letter"}).content == letter.content


def test_the_database_refuses_to_rewrite_or_delete_an_issued_sheet(client):
    saved = configuration_save(**PAIR)
    client.get(reverse("saved_sheet", args=[saved.public_id]))
    kept = IssuedSheet.objects.get(configuration=saved)
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        IssuedSheet.objects.filter(pk=kept.pk).update(pdf=b"%PDF-forged")
    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        IssuedSheet.objects.filter(pk=kept.pk).delete()
    assert bytes(IssuedSheet.objects.get(pk=kept.pk).pdf) == bytes(kept.pdf)


def test_a_sheet_past_its_limits_is_not_kept_and_downloads_report_it_at_once(client, settings, renders):
    settings.SHEET_RENDER_SECONDS = 0.01
    saved = configuration_save(**PAIR)
    result = issued_sheet_render(public_id=saved.public_id, public_url=f"http://testserver/c/{saved.public_id}")
    assert result.startswith("failed: ")
    assert not IssuedSheet.objects.filter(configuration=saved).exists()
    response = client.get(reverse("saved_sheet", args=[saved.public_id]))
    assert response.status_code == 503
    assert len(renders) == 1  # the download did not try again

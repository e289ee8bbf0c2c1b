"""Pages where an owner, and a regional manager within their regions, runs the organisation:
regions, stores, people and touchpoints (issue 8, item 1). The Django admin stays for superusers.

Thin: forms offer what the scope may touch, the services in org/services.py write. A store or
person outside the scope answers 404, as if it did not exist. Nothing here deletes: a store or
an employee with history is deactivated.
"""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exceed.core.imports import ImportRejected, import_kind
from exceed.core.texts import translations_from
from exceed.errors import DomainError
from exceed.org import services
from exceed.org.decorators import owners_only, scope_required
from exceed.org.forms import ImportForm, LocationForm, PersonForm, RegionForm, TouchpointForm
from exceed.org.models import Location, Person, Region, Touchpoint
from exceed.org.selectors import locations_visible, people_visible

organisation_managers_only = scope_required(lambda scope: scope.manages_organisation)


def _refused(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Regions (owners) ----------------------------------------------------------------------------


@owners_only
def region_list(request):
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(code=form.cleaned_data["code"], name=form.cleaned_data["name"])
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The region %(name)s was created.") % {"name": region.name})
            return HttpResponseRedirect(reverse("org:regions"))
    return render(request, "org/region_list.html", {"regions": Region.objects.order_by("name"), "form": form})


@owners_only
def region_edit(request, region_id):
    region = get_object_or_404(Region, pk=region_id)
    form = RegionForm(request.POST or None, region=region, initial={"name": region.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.region_update(region=region, name=form.cleaned_data["name"])
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The region %(name)s was saved.") % {"name": region.name})
            return HttpResponseRedirect(reverse("org:regions"))
    return render(request, "org/region_form.html", {"form": form, "region": region})


# --- Stores (owners; regional managers in their regions) -----------------------------------------


def _editable_location(request, code: str) -> Location:
    location = locations_visible(request.scope).filter(code=code).first()
    if location is None or not request.scope.may_edit_location(location.pk):
        raise Http404(code)
    return location


@organisation_managers_only
def location_list(request):
    locations = locations_visible(request.scope).order_by("region__name", "name")
    return render(request, "org/location_list.html", {"locations": locations})


@organisation_managers_only
def location_new(request):
    form = LocationForm(
        request.POST or None, scope=request.scope, initial={"timezone": "Europe/Copenhagen", "default_language": "en"}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location = services.location_create(
                code=data["code"],
                name=data["name"],
                region=data["region"],
                timezone=data["timezone"],
                default_language=data["default_language"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request, _("The store %(name)s was created with its survey link and poster.") % {"name": location.name}
            )
            return HttpResponseRedirect(reverse("org:location", args=[location.code]))
    return render(request, "org/location_form.html", {"form": form, "location": None})


@organisation_managers_only
def location_edit(request, code):
    location = _editable_location(request, code)
    initial = {
        name: getattr(location, name)
        for name in ("name", "region", "timezone", "default_language", "address", "active", "latitude", "longitude")
    }
    form = LocationForm(request.POST or None, scope=request.scope, location=location, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_update(location=location, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The store %(name)s was saved.") % {"name": location.name})
            return HttpResponseRedirect(reverse("org:locations"))
    return render(request, "org/location_form.html", {"form": form, "location": location})


# --- People (owners; regional managers at their regions' stores) ---------------------------------


def _editable_person(request, person_id: int) -> Person:
    person = people_visible(request.scope).filter(pk=person_id).first()
    if person is None:
        raise Http404(person_id)
    return person


PEOPLE_PER_PAGE = 100


@organisation_managers_only
def person_list(request):
    """A chain has thousands of employees: filtered by store or name, a hundred to a page."""
    locations = locations_visible(request.scope).order_by("name")
    people = people_visible(request.scope)
    # A NUL cannot be in a code or a name (PostgreSQL refuses it in a query): such a filter matches nothing.
    store = request.GET.get("location", "").replace("\x00", "")
    if store:
        people = people.filter(locations__code=store)
    search = request.GET.get("q", "").replace("\x00", "").strip()[:120]
    if search:
        people = people.filter(
            Q(name__icontains=search) | Q(external_ref__icontains=search) | Q(email__icontains=search)
        )
    people = people.prefetch_related("locations").distinct().order_by("-active", "name", "pk")
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"people": page.object_list, "page": page, "locations": locations, "store": store, "search": search}
    return render(request, "org/person_list.html", context)


@organisation_managers_only
def person_new(request):
    form = PersonForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                name=data["name"],
                locations=list(data["locations"]),
                email=data["email"],
                job_role=data["job_role"],
                external_ref=data["external_ref"] or None,
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return HttpResponseRedirect(reverse("org:people"))
    return render(request, "org/person_form.html", {"form": form, "person": None})


@organisation_managers_only
def person_edit(request, person_id):
    person = _editable_person(request, person_id)
    current = list(person.locations.all())
    initial = {
        "name": person.name,
        "locations": current,
        "job_role": person.job_role,
        "external_ref": person.external_ref,
        "email": person.email,
        "active": person.active,
    }
    form = PersonForm(request.POST or None, scope=request.scope, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # The stores this page does not offer (another region's, a closed one) are kept as they are.
        offered = set(form.fields["locations"].queryset)
        locations = list(data.pop("locations")) + [location for location in current if location not in offered]
        data["external_ref"] = data["external_ref"] or None
        try:
            services.person_update(person=person, locations=locations, **data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": person.name})
            return HttpResponseRedirect(reverse("org:people"))
    return render(request, "org/person_form.html", {"form": form, "person": person})


# --- CSV imports (owners: the importers read and write the whole chain) --------------------------

# Each kind: the list to go back to, the page's title, and the noun of the summary.
IMPORTS = {
    "locations": ("org:locations", gettext_lazy("Import stores"), gettext_lazy("Stores")),
    "people": ("org:people", gettext_lazy("Import people"), gettext_lazy("People")),
}


def _import(request, kind_name: str):
    back, title, noun = IMPORTS[kind_name]
    kind = import_kind(kind_name)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            # Under its own name, so that every problem names the file the user chose.
            path = Path(folder) / (Path(upload.name).name or "upload.csv")
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                report = kind.run(path, None)
            except ImportRejected as error:
                problems = str(error.message).splitlines()
            except DomainError as error:
                problems = [error.message]
            except UnicodeDecodeError:
                problems = [_("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")]
            else:
                messages.success(request, report.summary(str(noun)))
                return HttpResponseRedirect(reverse(back))
    context = {"form": form, "problems": problems, "kind": kind, "title": title, "back": back}
    return render(request, "org/import_form.html", context)


@owners_only
def location_import(request):
    return _import(request, "locations")


@owners_only
def person_import(request):
    return _import(request, "people")


# --- Touchpoints (owners) ------------------------------------------------------------------------


@owners_only
def touchpoint_list(request):
    return render(request, "org/touchpoint_list.html", {"touchpoints": Touchpoint.objects.all()})


@owners_only
def touchpoint_edit(request, touchpoint_id=None):
    touchpoint = get_object_or_404(Touchpoint, pk=touchpoint_id) if touchpoint_id is not None else None
    form = TouchpointForm(request.POST or None, instance=touchpoint)
    if touchpoint is not None:
        # The code is how files and the API name a touchpoint; it does not change.
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        names = translations_from(data, "names")
        try:
            if touchpoint is None:
                touchpoint = services.touchpoint_create(
                    code=data["code"], name=data["name"], names=names, position=data["position"]
                )
            else:
                services.touchpoint_update(
                    touchpoint=touchpoint, name=data["name"], names=names, position=data["position"]
                )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The touchpoint %(name)s was saved.") % {"name": touchpoint})
            return HttpResponseRedirect(reverse("org:touchpoints"))
    return render(request, "org/touchpoint_form.html", {"form": form, "touchpoint": touchpoint})

"""Forms of the catalog admin that are not model forms: uploading a catalog file."""

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["MAX_UPLOAD_BYTES", "CatalogApplyForm", "CatalogUploadForm"]

from catalog.catalog_files import MAX_FILE_BYTES as MAX_UPLOAD_BYTES


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalog file"),
        help_text=_("One YAML file in the format of fixtures/ (a device, pairings, manufacturers, ...)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Upload a .yaml or .yml file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error


class CatalogApplyForm(forms.Form):
    """The checked file, sent back with the "apply" button; it is checked again before anything is written."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_UPLOAD_BYTES, strip=False)

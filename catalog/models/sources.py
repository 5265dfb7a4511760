from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.history import tracked

__all__ = ["Document", "Source"]


class Document(models.Model):
    """A source document the catalog is transcribed from (a manual, a maker's article, a guide)."""

    key = models.CharField(_("key"), max_length=120, unique=True, help_text=_("File name or short identifier."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("URL"), blank=True)

    history = tracked()

    class Meta:
        ordering = ["key"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.key


class Source(models.Model):
    """Where in a document a fact is written: the document and the section heading (and page, if any)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="sources")
    section = models.CharField(_("section"), max_length=300)
    page = models.CharField(_("page"), max_length=40, blank=True)

    history = tracked()

    class Meta:
        ordering = ["document__key", "section", "page"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "section", "page"], name="catalog_source_unique_document_section_page"
            ),
            models.CheckConstraint(condition=~models.Q(section=""), name="catalog_source_section_not_empty"),
        ]

    def __str__(self):
        page = f", p. {self.page}" if self.page else ""
        return f"{self.document.key} § {self.section}{page}"

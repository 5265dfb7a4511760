"""Input fields that take the schema at its word: a string field accepts only JSON strings (DRF's own would
turn 0 or false into "0" and "False")."""

from django.utils.translation import gettext
from rest_framework import serializers

__all__ = ["StrictBooleanField", "StrictCharField", "StrictIntegerField", "StrictSerializer", "StrictSlugField"]


class _OnlyStrings:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext("Not a string."), code="invalid")
        return super().to_internal_value(data)


class StrictCharField(_OnlyStrings, serializers.CharField):
    pass


class StrictSlugField(_OnlyStrings, serializers.SlugField):
    pass


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true and false (DRF's own takes 0, 1, "yes", "off", ...)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            raise serializers.ValidationError(gettext("Not a boolean (true or false)."), code="invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """Only JSON integers (DRF's own takes "3" and 3.0)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError(gettext("Not a whole number."), code="invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Unknown keys are an error, as in the catalog files (a misspelt key must not be silently dropped: ``pack``
    for ``packs`` would otherwise configure one pack)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown}, code="unknown_field")
        return super().to_internal_value(data)

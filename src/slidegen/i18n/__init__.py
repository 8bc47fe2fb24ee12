"""Translations: merged onto the model per slide id; status, scaffold, review, labels, locales."""

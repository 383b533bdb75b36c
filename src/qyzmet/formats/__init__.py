"""Locale formats Django lacks or that Kazakhstan writes otherwise (FORMAT_MODULE_PATH).

Django has no formats for Kazakh, so a kk page wrote "16.5 КБ" with the fallback's point;
English follows the US ("m/d/Y"). In Kazakhstan dates are written dd.mm.yyyy in all three
languages (as egov.kz does), numbers with a decimal comma in Kazakh and Russian. Adding a
language: its folder here, if Django's own formats for it do not fit (docs/i18n.md).
"""

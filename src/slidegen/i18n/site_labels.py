"""Localized labels of the learners' site (downloads, search, languages), per language."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from slidegen.i18n.labels import labels

__all__ = ["SiteLabels", "site_labels"]


@dataclass(frozen=True)
class SiteLabels:
    """Every fixed string of the site's pages, in one language."""

    skip: str
    languages: str
    search: str
    no_results: str
    classes: str
    class_number: str  # "{number}" is replaced
    downloads: str
    contents: str
    deck: str
    handout: str
    slides_pdf: str
    references_page: str
    references_file: str  # "{format}" is replaced
    kb: str
    mb: str
    only_in: str  # "{language}" is replaced


_SITE: dict[str, SiteLabels] = {
    "en": SiteLabels(
        skip="Skip to content",
        languages="Languages",
        search="Search the course",
        no_results="Nothing found.",
        classes="Classes",
        class_number="Class {number}",
        downloads="Downloads",
        contents="Contents",
        deck="Slides (PowerPoint)",
        handout="Handout",
        slides_pdf="Slides (PDF)",
        references_page="References (web page)",
        references_file="References for reference managers ({format})",
        kb="KB",
        mb="MB",
        only_in="Only in {language}",
    ),
    "pt": SiteLabels(
        skip="Ir para o conteúdo",
        languages="Idiomas",
        search="Pesquisar no curso",
        no_results="Nada encontrado.",
        classes="Aulas",
        class_number="Aula {number}",
        downloads="Downloads",
        contents="Sumário",
        deck="Slides (PowerPoint)",
        handout="Material de apoio",
        slides_pdf="Slides (PDF)",
        references_page="Referências (página web)",
        references_file="Referências para gerenciadores de referências ({format})",
        kb="KB",
        mb="MB",
        only_in="Somente em {language}",
    ),
    "es": SiteLabels(
        skip="Ir al contenido",
        languages="Idiomas",
        search="Buscar en el curso",
        no_results="No se encontró nada.",
        classes="Clases",
        class_number="Clase {number}",
        downloads="Descargas",
        contents="Índice",
        deck="Diapositivas (PowerPoint)",
        handout="Material para participantes",
        slides_pdf="Diapositivas (PDF)",
        references_page="Referencias (página web)",
        references_file="Referencias para gestores bibliográficos ({format})",
        kb="KB",
        mb="MB",
        only_in="Solo en {language}",
    ),
    "fr": SiteLabels(
        skip="Aller au contenu",
        languages="Langues",
        search="Rechercher dans le cours",
        no_results="Aucun résultat.",
        classes="Séances",
        class_number="Séance {number}",
        downloads="Téléchargements",
        contents="Sommaire",
        deck="Diapositives (PowerPoint)",
        handout="Support de cours",
        slides_pdf="Diapositives (PDF)",
        references_page="Références (page web)",
        references_file="Références pour logiciels bibliographiques ({format})",
        kb="Ko",
        mb="Mo",
        only_in="Uniquement en {language}",
    ),
}


def site_labels(lang: str) -> dict[str, str]:
    """The site's labels for a language (English where it has none), with the handout's own
    labels (contents, reading edition, ...) under their names."""
    base = lang.replace("_", "-").split("-")[0].lower()
    own = asdict(_SITE.get(base, _SITE["en"]))
    return {**{k: str(v) for k, v in asdict(labels(lang)).items()}, **own}

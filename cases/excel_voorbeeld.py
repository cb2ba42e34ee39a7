"""The template's contents: the worked example case and the description of every column.

:func:`voorbeeld` shortens the bundled case :data:`REFERENTIE` to one product, one gebied, a
partner and an overig; :func:`uitleg` gives the rows of the sheet ``uitleg`` from
:data:`UITLEG_PER_KOLOM` (unit and meaning per column or key) and the defaults in the schema.
:mod:`cases.excel_template` writes both into the workbook. The descriptions must follow the
schema in :mod:`cases.schema` and the layout in :mod:`cases.excel_indeling` (a test checks
every column is explained).
"""

from __future__ import annotations

from typing import Any

from plafond.cases.excel_indeling import (
    _MATRIX,
    _NESTED,
    _SLEUTEL,
    KEY_SHEETS,
    SHEETS,
    TABLES,
    _leaf,
)
from plafond.cases.levering import Gewichten, Levering
from plafond.cases.schema import Case, Correlatie, Jaren, Risicodeling
from plafond.cases.verdeling import Verdeling

#: The bundled case the example is shortened from.
REFERENTIE = "maastricht-heuvelland-2022"
#: How to write a fraction: in the prompts of the ranges and on sheet uitleg.
HINT_FRACTIE = "schrijf 0,075 voor 7,5 %"


# --- the template: a worked example and the column descriptions ---------------------------


def voorbeeld() -> Case:
    """The reference case shortened to one product, one gebied, a partner and overig."""
    from plafond.cases import framework
    from plafond.cases.load import case_from_dict, load_case

    ref = load_case(REFERENTIE)
    product, gebied = ref.producten[0].id, ref.gebieden[0].id
    keep = [ref.partners()[0], *[a.id for a in ref.aanbieders if a.rol == "overig"][:1]]

    def fits(row: dict[str, Any]) -> bool:
        return (
            row.get("product") in (None, product)
            and row.get("gebied") in (None, gebied)
            and row.get("aanbieder") in (None, *keep)
        )

    data = ref.model_dump()
    data.update(
        naam="voorbeeld",
        bron=f"Ingekort uit de meegeleverde case {ref.naam}; bedragen illustratief.",
        toelichting="Vervang de voorbeeldregels door uw eigen gegevens; blad uitleg "
        "beschrijft elke kolom. Controleer met: plafond validate <bestand>.xlsx",
        producten=[p for p in data["producten"] if p["id"] == product],
        gebieden=[g for g in data["gebieden"] if g["id"] == gebied],
        aanbieders=[
            {**a, "capaciteit": {k: v for k, v in a["capaciteit"].items() if k == product}}
            for a in data["aanbieders"]
            if a["id"] in keep
        ],
        werkgebied=[{"aanbieder": a, "gebied": gebied, "product": product} for a in keep],
    )
    omzet = {"alle": 0.0, "blijft": 0.0}
    for h in data["historie"]:
        if h["gebied"] == gebied and h["product"] == product:
            omzet["alle"] += h["omzet"]
            omzet["blijft"] += h["omzet"] if h["aanbieder"] in keep else 0.0
    for table in ("tarieven", "historie", "vraag"):
        data[table] = [r for r in data[table] if fits(r)]
    # the aanbieders left out delivered part of the demand: keep only the kept ones' share,
    # so the partner delivers what its lumpsum pays for (a plausible result, not a loss)
    for v in data["vraag"]:
        v["clienten"]["gemiddelde"] = round(
            v["clienten"]["gemiddelde"] * omzet["blijft"] / omzet["alle"]
        )
    kader, markt = data["kader"], data["marktordening"]
    for table in ("opslagen", "overige_uitgaven"):
        kader[table] = [r for r in kader[table] if fits(r)]
    kader["correlatie"]["matrix"] = None
    # the overige's share follows the kept historie (a share given for the whole case's
    # partners there would leave the one kept partner more demand than its lumpsum pays for)
    data["levering"]["overige"] = [
        {**r, "aandeel": None} for r in data["levering"]["overige"] if fits(r)
    ]
    data["varianten"] = {
        "pxq": {"soort": "pxq"},
        "lumpsum": {"soort": "lumpsum"},
        "populatie": {"soort": "populatie", "corridor": 0.05},
    }
    if kader["risicodeling"]["sleutel"] is not None:
        kader["risicodeling"]["sleutel"] = {keep[0]: 1.0}
    markt["minimum_bedrag"] = [
        {"aanbieder": keep[0], "gebied": gebied, "product": product, "bedrag": 100_000.0}
    ]
    gemeente = data["gebieden"][0]["gemeente"]
    kader["uitsluitingen"] = [
        {"gemeente": gemeente, "product": product, "aandeel": 0.05,
         "omschrijving": "voorbeeld: cliënten 70+ buiten het kader"}
    ]  # fmt: skip
    kader["reeds_betaald"] = [
        {"aanbieder": keep[0], "bedrag": 10_000.0, "omschrijving": "voorbeeld: al betaald"}
    ]
    kader["plafonds"] = []
    kader["plafond"] = None
    kort = framework.kader(case_from_dict(data, bron="<sjabloon>"))
    kader["plafonds"] = [
        {"gemeente": gemeente, "product": product, "plafond": round(kort.plafond, 2)}
    ]
    return case_from_dict(data, bron="<sjabloon>")


_BLAD = {
    "case": "naam, jaar en bron van de case",
    "producten": "de diensten (BGI, BGG, …)",
    "gebieden": "de gebieden (wijken, gemeenten) met hun inwoners",
    "aanbieders": "de aanbieders: partners (lumpsum, B) en overig (overige aanbieders en PGB, C)",
    "cooperaties": "optioneel: coöperaties, elk één contractpartner voor haar leden (de "
    "partners die haar in kolom cooperatie van blad aanbieders noemen)",
    "tarieven": "het reële tarief per product, gegeven of opgebouwd uit kosten (AMvB reële prijs)",
    "historie": "omzet vorig jaar per aanbieder, gebied en product",
    "vraag": "cliënten en volume per cliënt per gebied en product, met hun onzekerheid",
    "werkgebied": "optioneel: toegestane combinaties; zonder dit blad die uit historie",
    "kader": "het financieel kader: indexatie, taakstelling, plafond, correlatie, risicodeling",
    "opslagen": "opslagen op de lumpsum van een partner",
    "overige_uitgaven": "optioneel: een eigen raming (euro) van C; vervangt dan de C uit de vraag",
    "marktordening": "regels voor de verdeling over aanbieders en gebieden",
    "minimum_bedrag": "optioneel: minimumbedrag voor een aanbieder",
    "uitsluitingen": "optioneel: een aandeel van historie en C dat uit plafond A gaat "
    "(bijv. BGG 70+)",
    "reeds_betaald": "optioneel: bedragen die een partner dit jaar al kreeg; van zijn lumpsum af",
    "plafonds": "optioneel: een gegeven plafond per pot (gemeente, product of beide); "
    "samen plafond A",
    "levering": "optioneel: aandeel en tarieven (ZIN, PGB) van de overige aanbieders per product",
    "varianten": "optioneel: de bekostigingsvarianten om te vergelijken (plafond vergelijk)",
    _MATRIX: "optioneel: correlatie per paar gebieden (kolom gebied, dan een kolom per gebied)",
}
_UNIT = {"clienten": "cliënten", "volume_per_client": "eenheden per cliënt", "": "euro"}
#: Column or key → (unit, meaning); ``sheet.column`` wins over ``column``; {u} is the unit.
UITLEG_PER_KOLOM: dict[str, tuple[str, str]] = {
    "id": ("code", "korte naam zonder '/', uniek op dit blad; andere bladen verwijzen ernaar"),
    "naam": ("tekst", "volledige naam"),
    "case.naam": ("code", "naam van de case, zonder '/'"),
    "jaar": ("jaartal", "het contractjaar (2000–2100)"),
    "bron": ("tekst", "het brondocument; zeg of de bedragen illustratief zijn"),
    "toelichting": ("tekst", "vrije toelichting of onderbouwing"),
    "eenheid": ("tekst", "eenheid van volume: uur, dagdeel, …"),
    "gemeente": ("tekst", "de gemeente van het gebied (correlatie, risicodeling, overzicht)"),
    "inwoners": ("aantal", "aantal inwoners"),
    "aandeel_75plus": ("fractie", "aandeel inwoners van 75 jaar en ouder (0.09 = 9 %)"),
    "aandeel_85plus": ("fractie", "aandeel inwoners van 85 jaar en ouder"),
    "aandeel_laag_inkomen": ("fractie", "aandeel huishoudens met een laag inkomen"),
    "rol": ("partner of overig", "partner: krijgt een lumpsum (B); overig: overige en PGB (C)"),
    "capaciteit_<PRODUCT>": (
        "eenheden per jaar",
        "meeste volume per jaar, een kolom per product; leeg: geen grens",
    ),
    "max_gebieden": ("aantal", "meeste gebieden die deze aanbieder mag bedienen"),
    "cooperatie": ("code", "id uit blad cooperaties: deze partner is er lid van; leeg: geen"),
    "cooperaties.sleutel": (
        "lumpsum of leeg",
        "lumpsum: de terugvordering gaat naar de leden naar hun lumpsum; leeg: de kolommen "
        "sleutel_<lid>",
    ),
    "sleutel_<lid>": ("fractie", "aandeel van dit lid in wat de coöperatie terugbetaalt; samen 1"),
    "product": ("code", "id uit blad producten"),
    "aanbieder": ("code", "id uit blad aanbieders"),
    "gebied": ("code", "id uit blad gebieden"),
    "tarieven.aanbieder": ("code", "leeg: het tarief geldt voor alle aanbieders van het product"),
    "tarief": ("euro per eenheid", "een gegeven reëel tarief; anders leeg en cao_uurloon invullen"),
    "cao_uurloon": ("euro per betaald uur", "bruto uurloon volgens CAO-schaal en trede"),
    "toeslagen": ("fractie", "× (1 + ·): vakantiegeld, eindejaarsuitkering, toeslagen"),
    "werkgeverslasten": ("fractie", "× (1 + ·): sociale lasten en pensioen"),
    "productiviteit": ("fractie in (0, 1]", "÷ ·: deel van de betaalde uren dat cliënttijd is"),
    "reiskosten": ("euro per cliëntuur", "plus: reistijd, reiskosten en scholing"),
    "overhead": ("fractie", "× (1 + ·): management, huisvesting, administratie"),
    "risico_opslag": ("fractie", "× (1 + ·): marge voor risico en innovatie"),
    "uren_per_eenheid": ("uur per eenheid", "× ·: personeelsuren per eenheid (BGG-dagdeel: 0.75)"),
    "omzet": ("euro", "omzet vorig jaar: basis van lumpsum (partners) en plafond (alle regels)"),
    "bedrag": ("euro", "opslag op de lumpsum van deze partner"),
    "minimum_bedrag.bedrag": ("euro", "de aanbieder krijgt minstens dit bedrag"),
    "minimum_bedrag.gebied": ("code", "leeg: over alle gebieden samen"),
    "minimum_bedrag.product": ("code", "leeg: over alle producten samen"),
    "omschrijving": ("tekst", "waarvoor de opslag is"),
    "verdeling": (
        "naam",
        "vast, normaal, lognormaal, gamma, poisson, negbin, triangulair, "
        "pert, uniform of empirisch",
    ),
    "gemiddelde": ("{u}", "verwachte waarde (vast, normaal, lognormaal, gamma, poisson, negbin)"),
    "cv": ("fractie", "variatiecoëfficiënt sd / gemiddelde; geef óf cv óf sd"),
    "sd": ("{u}", "standaardafwijking; geef óf cv óf sd"),
    "min": ("{u}", "laagste waarde (triangulair, pert, uniform)"),
    "modus": ("{u}", "meest waarschijnlijke waarde (triangulair, pert)"),
    "max": ("{u}", "hoogste waarde (triangulair, pert, uniform)"),
    "waarden": ("{u}, gescheiden door ;", "waarnemingen voor empirisch, bijv. 1; 2.5; 3"),
    "indexatie": ("fractie", "prijsindex op de omzet van vorig jaar (0.0387 = 3,87 %)"),
    "taakstelling": ("fractie", "korting op plafond en lumpsum (0.075 = 7,5 %)"),
    "kader.prijsschok.verdeling": (
        "naam",
        "optioneel: prijsschok = werkelijke CAO-loonstijging min de toegekende indexatie; "
        "verhoogt de kosten van de partners (× (1 + schok)), niet de uitgaven. Verdeling: "
        "vast, normaal, lognormaal, gamma, triangulair, pert, uniform of empirisch; "
        "alle prijsschok-sleutels leeg: geen schok",
    ),
    "kader.prijsschok.gemiddelde": (
        "fractie, mag negatief",
        "verwachte schok (0.01: lonen stijgen 1 procentpunt meer dan de index); groter dan -1",
    ),
    "kader.prijsschok.sd": ("fractie", "standaardafwijking van de schok (0.01 = 1 procentpunt)"),
    "kader.prijsschok.min": ("fractie, mag negatief", "laagste schok (triangulair, pert, uniform)"),
    "kader.prijsschok.modus": ("fractie, mag negatief", "meest waarschijnlijke schok"),
    "kader.prijsschok.max": ("fractie, mag negatief", "hoogste schok (triangulair, pert, uniform)"),
    "kader.prijsschok.waarden": (
        "fracties, gescheiden door ;",
        "waargenomen schokken voor empirisch, bijv. 0.0076; 0.0162; 0.0106",
    ),
    "looptijd": ("jaren", "contractduur; bedragen zijn per jaar"),
    "kader.jaren.indexatie": (
        "fractie, of fracties gescheiden door ;",
        "voorlopige index van jaar 2 t/m looptijd; leeg: de indexatie hierboven elk jaar",
    ),
    "kader.jaren.nacalculatie": (
        "fractie, of fracties gescheiden door ;",
        "definitieve min voorlopige index van jaar 1 t/m looptijd, betaald in het jaar erna",
    ),
    "kader.jaren.taakstelling": (
        "fractie, of fracties gescheiden door ;",
        "extra taakstelling van jaar 2 t/m looptijd",
    ),
    "kader.jaren.lumpsum": (
        "index of omzet",
        "lumpsum na jaar 1: geïndexeerd (index) of herijkt op de gerealiseerde omzet (omzet)",
    ),
    "kader.jaren.overloop": ("ja of nee", "onderbesteding van een jaar verhoogt het plafond erna"),
    "kader.jaren.terugval": (
        "fractie",
        "cumulatief verlies (deel van de lumpsum) waarbij een partner terugvalt op PxQ; "
        "leeg: nooit",
    ),
    "kader.jaren.groei.verdeling": (
        "naam",
        "optioneel: vraaggroei per jaar (vanaf jaar 2, blijvend); verdeling als prijsschok",
    ),
    "kader.jaren.groei.gemiddelde": ("fractie, mag negatief", "verwachte groei per jaar"),
    "kader.jaren.groei.sd": ("fractie", "standaardafwijking van de groei per jaar"),
    "kader.jaren.groei.min": ("fractie, mag negatief", "laagste groei"),
    "kader.jaren.groei.modus": ("fractie, mag negatief", "meest waarschijnlijke groei"),
    "kader.jaren.groei.max": ("fractie, mag negatief", "hoogste groei"),
    "kader.jaren.groei.waarden": ("fracties, gescheiden door ;", "waargenomen groeicijfers"),
    "plafond": ("euro", "budgetplafond A; leeg: afgeleid uit alle historie plus opslagen"),
    "correlatie.binnen_gemeente": (
        "van -1 tot 1",
        "correlatie van onzekere posten in één gemeente",
    ),
    "correlatie.tussen_gemeenten": ("van -1 tot 1", "correlatie tussen gemeenten"),
    "risicodeling.aandeel_partners": ("fractie", "deel van de overschrijding voor de partners"),
    "risicodeling.verdeelsleutel": (
        "lumpsum, sleutel, gemeente, product of gemeente_product",
        "verdeling over partners: naar lumpsum, naar de gewichten "
        "risicodeling.sleutel.<aanbieder>, of een pot per gemeente, product of "
        "gemeente × product (naar lumpsum in de pot)",
    ),
    "risicodeling.drempel": ("fractie van A", "geen terugvordering onder deze overschrijding"),
    "risicodeling.drempel_soort": (
        "franchise of eigen_risico",
        "franchise: boven de drempel telt alles; eigen_risico: alleen het deel boven de drempel",
    ),
    "risicodeling.maximum": ("fractie van lumpsum", "grens op de terugvordering per partner"),
    "risicodeling.onderschrijding": ("fractie", "deel van een onderbesteding voor de partners"),
    f"{_SLEUTEL}<aanbieder>": ("gewicht", "gewicht per partner, alleen bij verdeelsleutel sleutel"),
    "max_gebieden_per_aanbieder": ("aantal", "elke aanbieder bedient hoogstens zoveel gebieden"),
    "min_aanbieders_per_gebied": ("aantal", "minstens zoveel aanbieders per gebied"),
    "max_aanbieders_per_gebied": ("aantal", "hoogstens zoveel aanbieders per gebied"),
    "transitie_band": ("fractie", "bedrag per partner blijft binnen ± dit deel van zijn lumpsum"),
    "overige_dekken": ("true of false", "mogen de overige aanbieders vraag dekken"),
    "opslagen.indexeren": ("true of false", "true: bedrag × (1 + indexatie)"),
    "opslagen.taakstelling_toepassen": (
        "true of false",
        "true: bedrag × (1 − taakstelling), zoals plafond en lumpsum",
    ),
    "opslagen.bedrag": ("euro", "opslag op de lumpsum van deze partner (vóór de schakelaars)"),
    "uitsluitingen.gemeente": ("tekst", "de gemeente (zoals op blad gebieden)"),
    "aandeel": ("fractie", "dit deel van de omzet en van C gaat uit A (0.2 = 20 %)"),
    "uitsluitingen.aanbieder": ("code", "leeg: de overige aanbieders (C); anders deze aanbieder"),
    "uitsluitingen.omschrijving": ("tekst", "wat wordt uitgesloten, bijv. BGG 70-plussers"),
    "reeds_betaald.bedrag": ("euro", "al betaald in het jaar; gaat van de lumpsum af"),
    "reeds_betaald.gebied": ("code", "leeg: naar rato over de lumpsum van de partner"),
    "reeds_betaald.product": ("code", "leeg: naar rato over de lumpsum van de partner"),
    "reeds_betaald.omschrijving": ("tekst", "welke arrangementen al betaald zijn"),
    "plafonds.gemeente": ("tekst", "de gemeente van de pot; leeg bij potten per product"),
    "plafonds.product": ("code", "het product van de pot; leeg bij potten per gemeente"),
    "plafonds.plafond": ("euro", "plafond van deze pot; alle potten samen zijn A"),
    "max_opslag": (
        "fractie",
        "hoogstens zoveel boven het reële tarief van het geleverde volume (doel verdeling); "
        "zonder volume nooit een bedrag",
    ),
    **{
        f"levering.aandeel_{p}": (u, f"aandeel overige (fractie van de vraag), {m}")
        for p, (u, m) in {
            "verdeling": ("naam", "verdeling; leeg: aandeel in de historie-omzet"),
            "gemiddelde": ("fractie", "gemiddelde"),
            "cv": ("fractie", "cv"),
            "sd": ("fractie", "sd"),
            "min": ("fractie", "minimum"),
            "modus": ("fractie", "modus"),
            "max": ("fractie", "maximum"),
            "waarden": ("fracties", "waarnemingen, gescheiden door ';'"),
        }.items()
    },
    "levering.product": ("code", "het product"),
    "levering.gebied": ("code", "leeg: de regel geldt voor alle gebieden van het product"),
    "tarief_zin": ("euro per eenheid", "tarief overige in natura; leeg: hun reële tarief"),
    "tarief_pgb": ("euro per eenheid", "tarief PGB (lager dan in natura)"),
    "aandeel_pgb": ("fractie", "deel van het volume van de overige dat als PGB loopt"),
    "case.levering.bij_capaciteit": (
        "overige of wachtlijst",
        "vraag boven de capaciteit van een partner: naar de overige of op een wachtlijst",
    ),
    "varianten.naam": ("code", "naam van de variant"),
    "soort": ("code", "pxq, lumpsum, populatie, tweedelig, staffel of bandbreedte"),
    "totaal": ("euro", "populatie: totaal budget; leeg: de lumpsum B"),
    "corridor": ("fractie", "populatie: binnen ± dit deel van het budget draagt de aanbieder"),
    "nacalculatie": ("fractie", "populatie: deel van het verschil buiten de corridor verrekend"),
    "vast": ("fractie", "tweedelig: vast deel als fractie van de verwachte kosten"),
    "variabel": ("fractie", "tweedelig: deel van het tarief per eenheid; leeg: 1 − vast"),
    "grenzen": ("fracties", "staffel: volumestappen als fractie van het verwachte volume"),
    "varianten.tarieven": ("fracties", "staffel: fractie van het tarief per stap"),
    "minimum": ("fractie", "bandbreedte: minimum uren per cliënt (fractie van het gemiddelde)"),
    "maximum": ("fractie", "bandbreedte: maximum uren per cliënt (fractie van het gemiddelde)"),
    "boven": ("fractie", "bandbreedte: deel betaald van uren boven het maximum"),
    "evaluatie": ("true of false", "bandbreedte: na drie maanden wordt de band herzien"),
    **{
        f"gewichten_{g}": ("gewicht per inwoner", f"populatie: gewicht van {g}")
        for g in ("basis", "aandeel_75plus", "aandeel_85plus", "aandeel_laag_inkomen")
    },
}


def _standaard(sheet: str, column: str) -> str:
    """The default of a column, from the schema: 'verplicht', 'leeg' or the value."""
    model = KEY_SHEETS[sheet][0] if sheet in KEY_SHEETS else TABLES[sheet][1]
    name = column
    if sheet == "vraag" and column not in ("gebied", "product"):
        model, name = Verdeling, _leaf(column)
    elif column.startswith(("prijsschok.", "jaren.groei.")):
        return "leeg"  # the whole shock is optional; verdeling is required once it is given
    elif column.startswith("jaren."):
        model, name = Jaren, column.removeprefix("jaren.")
    elif sheet == "levering" and column.startswith("aandeel_") and column != "aandeel_pgb":
        return "leeg"
    elif sheet == "varianten" and column.startswith("gewichten_"):
        model, name = Gewichten, column.removeprefix("gewichten_")
    elif "." in column:
        group, name = column.split(".", 1)
        model = {"correlatie": Correlatie, "risicodeling": Risicodeling, "levering": Levering}[
            group
        ]
    field = model.model_fields.get(name)
    if field is not None and field.is_required():
        return "verplicht"
    default = None if field is None else field.get_default()
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, (int, float)):
        return f"{default:g}"
    return str(default) if default not in (None, "", {}) else "leeg"


def uitleg() -> list[list[str]]:
    """Rows (blad, kolom, eenheid, standaard, betekenis) for the sheet ``uitleg``."""
    note = "rij 1: kolomkoppen; lege cel: niet opgegeven, de standaard geldt"
    fracties = f"fracties als getal: {HINT_FRACTIE} (ook de tekst 7,5% wordt 0,075)"
    rows = [["alle bladen", "", "", "", f"{note}; {fracties}; bedragen in euro"]]
    for sheet in [*SHEETS, _MATRIX]:
        rows.append([sheet, "(blad)", "", "", _BLAD[sheet]])
        if sheet == _MATRIX:
            rows.append([sheet, "<gebied>", "van -1 tot 1", "leeg", "correlatie van rij en kolom"])
            continue
        columns = KEY_SHEETS[sheet][1] if sheet in KEY_SHEETS else TABLES[sheet][2]
        extra = {"aanbieders": ["capaciteit_<PRODUCT>"], "kader": [f"{_SLEUTEL}<aanbieder>"],
                 "cooperaties": ["sleutel_<lid>"]}  # fmt: skip
        for column in [*columns, *extra.get(sheet, [])]:
            prefix = next((n for n in _NESTED if column.startswith(n + "_")), "")
            leaf = column.removeprefix(f"{prefix}_") if prefix else column
            unit, meaning = UITLEG_PER_KOLOM.get(f"{sheet}.{column}") or UITLEG_PER_KOLOM[leaf]
            if prefix:
                meaning = f"{'aantal ' if prefix == 'clienten' else ''}{_UNIT[prefix]}: {meaning}"
            standaard = "leeg" if "<" in column else _standaard(sheet, column)
            rows.append([sheet, column, unit.format(u=_UNIT[prefix]), standaard, meaning])
    return rows

"""The template scorecard built from the method (docs/DOMAIN.md §1–§3), in the five languages.

It measures the experience, not cleanliness (practice 1: "resist asking about that"); each item
tells the shopper exactly what to observe. Return likelihood and the expectation outcome are
asked on every report besides these items. Items name the charter attribute they show and the
playbook situation they check (the standards demo's codes); a chain without them gets the items
unlinked.
"""


def _t(en: str, da: str, fr: str, et: str, fi: str) -> dict:
    return {"en": en, "da": da, "fr": fr, "et": et, "fi": fi}


TEMPLATE = {
    "name": _t("Store visit", "Butiksbesøg", "Visite en magasin", "Kaupluse külastus", "Myymäläkäynti"),
    "critical_rule": "cap",
    "critical_cap": 50,
    "sections": [
        {
            "code": "welcome",
            "title": _t("Welcome", "Velkomst", "Accueil", "Vastuvõtt", "Vastaanotto"),
            "items": [
                {
                    "code": "greeted",
                    "charter_attribute": "welcome",
                    "playbook": {"situation": "greeting", "touchpoint": "in-store"},
                    "kind": "yes_no",
                    "critical": True,
                    "weight": 3,
                    "text": _t(
                        "Greeted within 30 seconds",
                        "Hilst på inden for 30 sekunder",
                        "Salué dans les 30 secondes",
                        "Tervitati 30 sekundi jooksul",
                        "Tervehditty 30 sekunnin kuluessa",
                    ),
                    "help": _t(
                        "Count from the moment you enter. Eye contact and a word count; a nod alone does not.",
                        "Tæl fra det øjeblik, du går ind. Øjenkontakt og et ord tæller; et nik alene gør ikke.",
                        "Comptez dès votre entrée. Un regard et un mot comptent ; un signe de tête seul, non.",
                        "Lugege sisenemise hetkest. Silmside ja sõna lähevad arvesse, ainult noogutus mitte.",
                        "Laske sisääntulosta. Katsekontakti ja sana lasketaan; pelkkä nyökkäys ei.",
                    ),
                },
                {
                    "code": "wait",
                    "charter_attribute": "no-silent-wait",
                    "kind": "numeric",
                    "weight": 1,
                    "thresholds": [[60, 2], [180, 1]],
                    "text": _t(
                        "Seconds until someone could help you",
                        "Sekunder til nogen kunne hjælpe dig",
                        "Secondes avant que quelqu'un puisse vous aider",
                        "Sekundid, kuni keegi sai teid aidata",
                        "Sekunteja, kunnes joku ehti auttaa",
                    ),
                },
            ],
        },
        {
            "code": "discovery",
            "title": _t("Your expectations", "Dine forventninger", "Vos attentes", "Teie ootused", "Odotuksesi"),
            "items": [
                {
                    "code": "asked_expectation",
                    "charter_attribute": "knows",
                    "kind": "yes_no",
                    "weight": 3,
                    "text": _t(
                        "Asked what you expected or needed",
                        "Spurgte, hvad du forventede eller havde brug for",
                        "Vous a demandé ce que vous attendiez ou ce dont vous aviez besoin",
                        "Küsiti, mida te ootate või vajate",
                        "Kysyttiin, mitä odotit tai tarvitsit",
                    ),
                    "help": _t(
                        "A question about you, not only about the product: what is it for, when do you need it.",
                        "Et spørgsmål om dig, ikke kun om varen: hvad skal den bruges til, hvornår skal du bruge den.",
                        "Une question sur vous, pas seulement sur le produit : pour quel usage, pour quand.",
                        "Küsimus teie, mitte ainult toote kohta: milleks see on, millal te seda vajate.",
                        "Kysymys sinusta, ei vain tuotteesta: mihin sitä tarvitaan, milloin tarvitset sen.",
                    ),
                },
                {
                    "code": "out_of_stock",
                    "charter_attribute": "promise-kept",
                    "playbook": {"situation": "out-of-stock", "touchpoint": "in-store"},
                    "kind": "yes_no",
                    "na_allowed": True,
                    "weight": 2,
                    "text": _t(
                        "Handled an out-of-stock item as the playbook says",
                        "Håndterede en udsolgt vare, som drejebogen foreskriver",
                        "A traité la rupture de stock comme le prévoit le guide",
                        "Lahendas otsas oleva kauba olukorra juhendi järgi",
                        "Hoiti loppuneen tuotteen tilanteen toimintaohjeen mukaisesti",
                    ),
                    "help": _t(
                        "Ask for a size or item that is not on the shelf. Not applicable if you could not.",
                        "Spørg efter en størrelse eller vare, der ikke er på hylden. Ikke relevant, hvis det ikke var muligt.",
                        "Demandez une taille ou un article absent du rayon. Non applicable si ce n'était pas possible.",
                        "Küsige suurust või toodet, mida riiulil pole. Ei kohaldu, kui see polnud võimalik.",
                        "Kysy kokoa tai tuotetta, jota ei ole hyllyssä. Ei koske, jos se ei ollut mahdollista.",
                    ),
                },
            ],
        },
        {
            "code": "beyond",
            "title": _t(
                "Beyond the request", "Ud over det forventede", "Au-delà de la demande", "Üle ootuste", "Pyynnön yli"
            ),
            "items": [
                {
                    "code": "helped_beyond",
                    "charter_attribute": "knows",
                    "kind": "scale",
                    "weight": 2,
                    "text": _t(
                        "Offered help beyond what you asked for",
                        "Tilbød hjælp ud over det, du bad om",
                        "A proposé une aide au-delà de votre demande",
                        "Pakkus abi rohkem, kui te palusite",
                        "Tarjosi apua enemmän kuin pyysit",
                    ),
                    "help": _t(
                        "1: nothing beyond the request; 5: something you would tell a friend about.",
                        "1: intet ud over det, du bad om; 5: noget, du ville fortælle en ven om.",
                        "1 : rien de plus que la demande ; 5 : quelque chose que vous raconteriez à un ami.",
                        "1: mitte midagi peale palutu; 5: midagi, millest räägiksite sõbrale.",
                        "1: ei mitään pyydetyn lisäksi; 5: jotain, mistä kertoisit ystävälle.",
                    ),
                },
                {
                    "code": "surprise",
                    "kind": "yes_no",
                    "bonus": True,
                    "required": False,
                    "text": _t(
                        "Something surprised you for the better",
                        "Noget overraskede dig positivt",
                        "Quelque chose vous a agréablement surpris",
                        "Miski üllatas teid meeldivalt",
                        "Jokin yllätti sinut myönteisesti",
                    ),
                },
            ],
        },
        {
            "code": "farewell",
            "title": _t("Farewell", "Afsked", "Au revoir", "Hüvastijätt", "Hyvästit"),
            "items": [
                {
                    "code": "thanked_by_name",
                    "charter_attribute": "welcome",
                    "kind": "yes_no",
                    "na_allowed": True,
                    "weight": 1,
                    "text": _t(
                        "Thanked you by name",
                        "Takkede dig ved navn",
                        "Vous a remercié par votre nom",
                        "Tänas teid nimepidi",
                        "Kiitti sinua nimeltä",
                    ),
                    "help": _t(
                        "Not applicable if your name was never given or shown (no card, no order).",
                        "Ikke relevant, hvis dit navn aldrig blev oplyst eller vist (intet kort, ingen ordre).",
                        "Non applicable si votre nom n'a jamais été donné ni affiché (ni carte, ni commande).",
                        "Ei kohaldu, kui teie nime ei antud ega näidatud (kaarti ega tellimust polnud).",
                        "Ei koske, jos nimeäsi ei kerrottu eikä näkynyt (ei korttia, ei tilausta).",
                    ),
                },
                {
                    "code": "remarks",
                    "kind": "text",
                    "text": _t(
                        "What would have made this visit exceed your expectations?",
                        "Hvad ville have fået besøget til at overgå dine forventninger?",
                        "Qu'est-ce qui aurait permis à cette visite de dépasser vos attentes ?",
                        "Mis oleks pannud selle külastuse teie ootusi ületama?",
                        "Mikä olisi saanut tämän käynnin ylittämään odotuksesi?",
                    ),
                },
            ],
        },
    ],
}

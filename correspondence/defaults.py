# ruff: noqa: E501  (a paragraph is one line: a line break in the text is a line break in the letter)
"""The texts each kind of letter starts with. The data migration seeds them; the quality
manager changes them in the back office. Letters are Dutch, so these are too."""

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "acknowledgement": (
        "Ontvangstbevestiging van uw klacht",
        """Geachte {naam},

Op {ontvangen_op} hebben wij uw klacht ontvangen. Dank u wel dat u de moeite hebt genomen ons dit te laten weten. Wij hebben uw klacht geregistreerd onder kenmerk {referentie}. Wilt u dit kenmerk vermelden als u contact met ons opneemt?

U schreef ons:
{omschrijving}

Hoe gaat het verder?
Wij nemen uw klacht serieus. Een verantwoordelijke medewerker neemt uiterlijk {contact_uiterlijk} contact met u op, telefonisch of met een uitnodiging voor een gesprek. Wij willen uw klacht uiterlijk {afhandeling_uiterlijk} afhandelen.

Via uw persoonlijke link hieronder ziet u op elk moment hoe het met uw klacht staat, en kunt u informatie of een bijlage toevoegen. Deel deze link niet met anderen.

Heeft u intussen vragen? Bel ons op {telefoon} of mail naar {kwaliteitsinbox}.""",
    ),
    "invitation": (
        "Uitnodiging voor een gesprek over uw klacht",
        """Geachte {naam},

Wij nodigen u graag uit voor een gesprek over uw klacht met kenmerk {referentie}. Wij willen uw klacht met u bespreken en samen met u zoeken naar een goede oplossing.

Datum: {afspraak_datum}
Tijd: {afspraak_tijd}
Plaats: {afspraak_plaats}
Namens {organisatie}: {verantwoordelijke}, {functie}

Ontvangt u deze brief per e-mail, dan vindt u er een agenda-uitnodiging bij. Past dit moment u niet? Laat het ons dan zo snel mogelijk weten via {telefoon} of {kwaliteitsinbox}; dan zoeken wij samen een ander moment.""",
    ),
    "cancellation": (
        "Afzegging van het gesprek over uw klacht",
        """Geachte {naam},

Het gesprek over uw klacht met kenmerk {referentie}, gepland op {afspraak_datum} om {afspraak_tijd}, gaat helaas niet door. Onze excuses voor het ongemak.

Wij nemen zo snel mogelijk contact met u op om een nieuwe afspraak te maken. Heeft u vragen? Bel ons op {telefoon} of mail naar {kwaliteitsinbox}.""",
    ),
    "confirmation": (
        "Bevestiging van ons gesprek en de afspraken",
        """Geachte {naam},

Hartelijk dank voor het gesprek dat wij op {gesprek_op} met u hadden over uw klacht met kenmerk {referentie}. In deze brief zetten wij op een rij wat wij hebben besproken en welke afspraken wij hebben gemaakt.

Wat wij hebben besproken:
{besproken}

De afspraken:
{afspraken}

Wij willen uw klacht uiterlijk {afhandeling_uiterlijk} afhandelen. Klopt er iets niet in deze samenvatting, of mist u iets? Laat het ons dan binnen tien dagen weten via {telefoon} of {kwaliteitsinbox}.""",
    ),
    "extension": (
        "De afhandeling van uw klacht duurt langer",
        """Geachte {naam},

Wij willen een klacht binnen {afhandeltermijn} dagen na ontvangst afhandelen. Bij uw klacht met kenmerk {referentie} lukt ons dat helaas niet.

De reden:
{reden_verlenging}

Wij verwachten uw klacht uiterlijk {afhandeling_uiterlijk} af te handelen. Het spijt ons dat het langer duurt dan wij hadden toegezegd. Heeft u vragen? Bel ons op {telefoon} of mail naar {kwaliteitsinbox}.""",
    ),
    "closing": (
        "Afhandeling van uw klacht",
        """Geachte {naam},

Met deze brief ronden wij de behandeling van uw klacht met kenmerk {referentie} af.

Ons oordeel: uw klacht is {uitkomst}.

Hoe wij uw klacht hebben opgelost:
{oplossing}

De afspraken die wij met u hebben gemaakt:
{afspraken}

Dank u wel dat u ons liet weten wat er niet goed ging; uw klacht helpt ons onze dienstverlening te verbeteren. Bent u het niet eens met de afhandeling, laat het ons dan weten via {telefoon} of {kwaliteitsinbox}.""",
    ),
    "withdrawal": (
        "Bevestiging: u hebt uw klacht ingetrokken",
        """Geachte {naam},

U hebt ons laten weten dat u uw klacht met kenmerk {referentie} intrekt. Met deze brief bevestigen wij dat; wij behandelen de klacht niet verder.

Hebt u de klacht niet zelf ingetrokken, of wilt u er toch op terugkomen? Laat het ons dan weten via {telefoon} of {kwaliteitsinbox}.""",
    ),
}

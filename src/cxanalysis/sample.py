"""Synthetic sample client "Nordlys Retail" (slug ``nordlys``).

The sample is a fictional Nordic retailer with one year (2025) of
customer-experience data: a relational NPS survey, transactional CSAT/CES
surveys, a customer register with a churn flag and a support-ticket log.
Every file is generated from a seeded random number generator, so the same
seed always gives the same files.

Known effects ("planted truths") are built into the data so that a trainer,
a test or a reader of the report can check that each analysis finds what is
really there, and nothing that is not:

* NPS drivers with known coefficients (Troubleshooting and Responsiveness
  strongest, Engagement and Personalisation weak) and a known performance
  (top-two-box share) per attribute, so the importance-performance chart has
  a clear "fix first" quadrant (Troubleshooting, Responsiveness);
* a CSAT drop at the Delivery touchpoint in 2025Q3 only;
* region Nord exactly 15 NPS points below the other regions;
* two segment splits with no true difference (customer type, e-mail vs SMS);
* an intervention in the Vest support centre from 2025-07-01;
* comment themes tied to low and high scores, in four languages;
* a handful of comments with personal data or markup, and a few deliberately
  invalid rows for the data-quality checks;
* higher churn among dissatisfied customers.

All parameters live in the constants below. :func:`generate_sample` writes the
four data files plus ``truth.yml``, a machine-readable record of every planted
effect, the exact generating values and the ids of all planted rows.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import pathlib
import zipfile
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy.special import ndtr, ndtri

from .drivers import weights_from_correlations

__all__ = [
    "CLIENT_NAME",
    "CLIENT_SLUG",
    "CUSTOMERS_FILE",
    "DATA_FILES",
    "DEFAULT_SEED",
    "RELATIONAL_FILE",
    "TICKETS_FILE",
    "TRANSACTIONAL_FILE",
    "TRANSACTIONAL_SHEET",
    "TRUTH_FILE",
    "generate_sample",
]

# --------------------------------------------------------------------------
# Client, files and calendar
# --------------------------------------------------------------------------

CLIENT_NAME = "Nordlys Retail"
CLIENT_SLUG = "nordlys"
DEFAULT_SEED = 2025

RELATIONAL_FILE = "relational_nps.csv"
TRANSACTIONAL_FILE = "transactional.xlsx"
TRANSACTIONAL_SHEET = "Responses"
CUSTOMERS_FILE = "customers.csv"
TICKETS_FILE = "tickets.csv"
TRUTH_FILE = "truth.yml"
DATA_FILES = (RELATIONAL_FILE, TRANSACTIONAL_FILE, CUSTOMERS_FILE, TICKETS_FILE)

YEAR = 2025
QUARTERS = ("2025Q1", "2025Q2", "2025Q3", "2025Q4")
QUARTER_STARTS = ("2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01")

# Fixed document timestamp for the workbook, so its bytes are reproducible.
WORKBOOK_TIMESTAMP = dt.datetime(2026, 1, 5, 8, 0, 0)

# Relative frequency of responses by hour of day (local time).
SURVEY_HOUR_WEIGHTS = np.array(
    [
        0.4,
        0.2,
        0.1,
        0.1,
        0.1,
        0.3,
        0.9,
        2.2,
        3.4,
        4.2,
        4.6,
        4.8,
        5.6,
        5.2,
        4.6,
        4.6,
        4.8,
        5.0,
        5.2,
        6.0,
        6.6,
        5.8,
        3.8,
        1.6,
    ]
)
# Phone interviews are only made between 09:00 and 20:00.
INTERVIEW_HOUR_WEIGHTS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 5, 3, 4, 5, 5, 5, 6, 6, 5, 0, 0, 0, 0], dtype=float)
TICKET_HOUR_WEIGHTS = np.array(
    [
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.2,
        0.6,
        2.5,
        5.0,
        6.0,
        6.0,
        5.5,
        5.0,
        5.5,
        5.5,
        5.0,
        4.5,
        3.5,
        2.8,
        2.5,
        2.2,
        1.6,
        0.9,
        0.4,
    ]
)
SURVEY_WEEKEND_FACTOR = 0.8
TICKET_WEEKEND_FACTOR = 0.5

# --------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------

N_CUSTOMERS = 3000
REGIONS = ("Nord", "Vest", "Øst", "Sør")
REGION_SHARES = np.array([0.22, 0.26, 0.32, 0.20])
CUSTOMER_TYPES = ("New", "Returning")
CUSTOMER_TYPE_SHARES = np.array([0.35, 0.65])
#: The population margins the sample client's responses are raked to (client.yml, weighting.margins): the
#: regions as the responses are drawn, and more new customers than answer (the planted gap: the responses
#: hold about 35 % New, the customer base 42 %).
POPULATION_MARGINS = {
    "region": dict(zip(REGIONS, (0.22, 0.26, 0.32, 0.20))),
    "customer_type": {"New": 0.42, "Returning": 0.58},
}
LANGUAGES = ("en", "nb", "da", "sv")
LANGUAGE_SHARES = np.array([0.14, 0.58, 0.12, 0.16])
REVENUE_MEDIAN_NOK = 4800.0
REVENUE_LOG_SD = 0.75
CHURN_PERIOD = "2025Q4"
CHURN_PROB_DISSATISFIED = 0.30
CHURN_PROB_OTHER = 0.08

# --------------------------------------------------------------------------
# Relational NPS survey
# --------------------------------------------------------------------------

RELATIONAL_PER_QUARTER = (600, 600, 600, 600)
SURVEY_CHANNELS = ("E-mail", "SMS", "Phone interview")
SURVEY_CHANNEL_SHARES = np.array([0.55, 0.30, 0.15])
# Additive shift on the latent 0-10 scale; e-mail and SMS are identical.
SURVEY_CHANNEL_SHIFT = np.array([0.0, 0.0, 0.3])

ATTRIBUTES = (
    "Responsiveness",
    "Service quality",
    "Accessibility",
    "Engagement",
    "Personalisation",
    "Troubleshooting",
)
# Coefficient of each 1-5 rating in the latent 0-10 recommendation score.
DRIVER_COEFFICIENTS = np.array([0.70, 0.45, 0.30, 0.12, 0.06, 0.85])
DRIVER_INTERCEPT = -0.5
DRIVER_NOISE_SD = 1.5
# Attribute latent = mean_attribute + LOADING_SHARED * satisfaction + LOADING_SPECIFIC * own noise.
LOADING_SHARED = 0.6
LOADING_SPECIFIC = 0.8
RATING_THRESHOLDS = np.array([-1.8, -1.0, -0.2, 0.8])
# Generating top-two-box share (rating 4-5) of each attribute ("performance"
# in the importance-performance chart). Each attribute's latent mean is solved
# from it, so the share is exact: the latent is N(mean, 1) because
# 0.6^2 + 0.8^2 = 1. Troubleshooting and Responsiveness are important but
# weak ("fix first"), Personalisation unimportant and weak ("lower priority").
ATTRIBUTE_TOP2 = {
    "Responsiveness": 0.50,
    "Service quality": 0.65,
    "Accessibility": 0.70,
    "Engagement": 0.60,
    "Personalisation": 0.40,
    "Troubleshooting": 0.45,
}
ATTRIBUTE_LATENT_MEANS = ndtri(np.array([ATTRIBUTE_TOP2[a] for a in ATTRIBUTES])) + RATING_THRESHOLDS[2]
RATING_MISSING_SHARE = 0.03
NPS_GAP_NORD = 15.0  # NPS points below the other regions, solved exactly
LANGUAGE_BLANK_SHARE = 0.20
# P(Would buy again = Yes) = logistic(a + b * score)
BUY_AGAIN_LOGIT = (-4.0, 0.65)

NPS_COLUMN = "Likelihood to recommend (0-10)"
COMMENT_QUESTION = "What one thing could we do to make you happier?"
RELATIONAL_COLUMNS = (
    "Respondent ID",
    "Submitted",
    "Customer ID",
    "Region",
    "Customer type",
    "Survey channel",
    NPS_COLUMN,
    *ATTRIBUTES,
    COMMENT_QUESTION,
    "Language",
    "Would buy again",
)

# --------------------------------------------------------------------------
# Transactional surveys
# --------------------------------------------------------------------------

TRANSACTIONAL_PER_QUARTER = (840, 860, 900, 1000)
FIRST_RESPONSE_ID = 500001
SURVEYS = ("after_purchase", "after_support")
SURVEY_SHARES = np.array([0.6, 0.4])
TOUCHPOINTS = (
    "Website",
    "Social media",
    "Store",
    "Checkout",
    "Delivery",
    "Follow-up e-mail",
    "Support centre",
    "Returns",
)
PURCHASE_TOUCHPOINTS = {
    "Website": 0.24,
    "Store": 0.22,
    "Checkout": 0.14,
    "Delivery": 0.26,
    "Follow-up e-mail": 0.14,
}
SUPPORT_TOUCHPOINTS = {"Support centre": 0.60, "Returns": 0.24, "Social media": 0.16}
CHANNELS = ("Web", "Store", "Phone", "E-mail", "Social media", "Chat")
TOUCHPOINT_CHANNELS = {
    "Website": {"Web": 1.0},
    "Social media": {"Social media": 1.0},
    "Store": {"Store": 1.0},
    "Checkout": {"Web": 0.7, "Store": 0.3},
    "Delivery": {"Web": 0.75, "Store": 0.25},
    "Follow-up e-mail": {"E-mail": 1.0},
    "Support centre": {"Phone": 0.45, "E-mail": 0.25, "Chat": 0.30},
    "Returns": {"Web": 0.3, "Store": 0.4, "Phone": 0.1, "E-mail": 0.2},
}
# CSAT category probabilities at latent mean 0: 1..5 -> 3%, 5%, 12%, 35%, 45%.
CSAT_BASE_PROBS = np.array([0.03, 0.05, 0.12, 0.35, 0.45])
CSAT_CUTS = ndtri(np.cumsum(CSAT_BASE_PROBS)[:-1])
# Generating CSAT top-two-box share (4-5) per touchpoint, stable over time
# except for the Delivery drop and the Vest support-centre intervention.
CSAT_TOP2 = {
    "Website": 0.78,
    "Social media": 0.62,
    "Store": 0.84,
    "Checkout": 0.80,
    "Delivery": 0.80,
    "Follow-up e-mail": 0.74,
    "Support centre": 0.66,
    "Returns": 0.64,
}
DROP_TOUCHPOINT = "Delivery"
DROP_QUARTER = "2025Q3"
DROP_TOP2 = 0.55
# CES category probabilities at latent mean 0: 1..7.
CES_BASE_PROBS = np.array([0.04, 0.06, 0.09, 0.14, 0.22, 0.25, 0.20])
CES_CUTS = ndtri(np.cumsum(CES_BASE_PROBS)[:-1])
CES_LATENT_MEAN = {"Support centre": 0.0, "Returns": -0.25, "Social media": -0.10}
# after_support latents share a "handling experience" factor H (speed and ease
# of getting the issue handled, i.e. responsiveness):
#   CSAT latent = mu + HANDLING_ON_CSAT * H + sqrt(1 - HANDLING_ON_CSAT**2) * e1
#   CES latent  = nu + HANDLING_ON_CES  * H + sqrt(1 - HANDLING_ON_CES**2)  * e2
HANDLING_ON_CSAT = 0.8
HANDLING_ON_CES = 0.9

INTERVENTION_REGION = "Vest"
INTERVENTION_TOUCHPOINT = "Support centre"
INTERVENTION_START = "2025-07-01"
INTERVENTION_CES_EFFECT = 0.8
INTERVENTION_TOP2_EFFECT = 0.12

TRANSACTIONAL_COLUMNS = (
    "ResponseID",
    "Timestamp",
    "Survey",
    "Touchpoint",
    "Channel",
    "Region",
    "Customer type",
    "Customer ID",
    "CSAT",
    "CES",
    "Comment",
    "Language",
    "Team",
    "Agent",
)

# --------------------------------------------------------------------------
# Support tickets
# --------------------------------------------------------------------------

TICKETS_PER_QUARTER = (560, 580, 620, 740)
FIRST_TICKET_NUMBER = 100001
TICKET_TOUCHPOINTS = {"Support centre": 0.62, "Returns": 0.25, "Social media": 0.13}
TICKET_CHANNELS = ("Phone", "E-mail", "Chat", "Social media")
TICKET_TOUCHPOINT_CHANNELS = {
    "Support centre": {"Phone": 0.40, "E-mail": 0.35, "Chat": 0.25},
    "Returns": {"Phone": 0.25, "E-mail": 0.50, "Chat": 0.25},
    "Social media": {"Social media": 1.0},
}
# Median first-response time (hours) by channel; lognormal spread.
FIRST_RESPONSE_MEDIAN_HOURS = {"Phone": 4.5, "E-mail": 15.0, "Chat": 1.6, "Social media": 8.0}
FIRST_RESPONSE_LOG_SD = 0.8
# Faster first responses in the intervention cell (same start date).
INTERVENTION_RESPONSE_FACTOR = 0.5
COMPLAINT_PROB = {"Support centre": 0.25, "Returns": 0.45, "Social media": 0.35}
TICKET_COLUMNS = (
    "ticket_id",
    "opened_at",
    "first_response_hours",
    "region",
    "channel",
    "touchpoint",
    "is_complaint",
)

# --------------------------------------------------------------------------
# Comments
# --------------------------------------------------------------------------

THEMES = (
    "response_time",
    "staff_friendliness",
    "competence",
    "price",
    "delivery",
    "website",
    "app",
    "returns",
    "communication",
)
SCORE_GROUPS = ("negative", "passive", "positive")
# Theme probabilities by score group (order of THEMES).
THEME_PROBS = {
    "negative": [0.24, 0.03, 0.03, 0.19, 0.24, 0.07, 0.06, 0.07, 0.07],
    "passive": [0.12, 0.08, 0.08, 0.16, 0.12, 0.12, 0.10, 0.09, 0.13],
    "positive": [0.06, 0.34, 0.26, 0.03, 0.08, 0.07, 0.05, 0.05, 0.06],
}
# Transactional comments: with this weight the theme comes from the
# touchpoint's own topics, otherwise from the score-group distribution.
TOUCHPOINT_THEME_WEIGHT = 0.4
TOUCHPOINT_THEMES = {
    "Website": {"website": 0.6, "app": 0.4},
    "Social media": {"response_time": 0.5, "communication": 0.5},
    "Store": {"staff_friendliness": 0.5, "competence": 0.3, "price": 0.2},
    "Checkout": {"app": 0.4, "website": 0.3, "price": 0.3},
    "Delivery": {"delivery": 1.0},
    "Follow-up e-mail": {"communication": 1.0},
    "Support centre": {"response_time": 0.5, "competence": 0.3, "staff_friendliness": 0.2},
    "Returns": {"returns": 1.0},
}
COMMENT_PROB_RELATIONAL = {"negative": 0.68, "passive": 0.50, "positive": 0.52}
COMMENT_PROB_TRANSACTIONAL = {"negative": 0.75, "passive": 0.58, "positive": 0.55}
SECOND_SENTENCE_SHARE = 0.25
# Passive comments open with a mild "mostly fine, but" before a complaint.
PASSIVE_OPENERS = {
    "en": "Mostly fine, but",
    "nb": "Stort sett greit, men",
    "da": "Generelt fint, men",
    "sv": "Överlag bra, men",
}

# PHRASES[language][theme] = (negative sentences, positive sentences)
PHRASES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "en": {
        "response_time": (
            (
                "I waited far too long for an answer.",
                "Nobody replied to my e-mail for a week.",
                "The phone queue was over 40 minutes.",
            ),
            ("Quick reply, I got help the same day.", "I got an answer within minutes."),
        ),
        "staff_friendliness": (
            ("The staff in the store were rude.", "The person on the phone was impatient and unfriendly."),
            ("Very friendly staff, I felt welcome.", "The shop assistant was really kind and helpful."),
        ),
        "competence": (
            ("The staff did not know the products at all.", "I was given wrong information about the warranty."),
            (
                "The advisor really knew the products and gave good advice.",
                "Competent help, the problem was solved at once.",
            ),
        ),
        "price": (
            ("Prices are too high compared to other shops.", "Shipping costs are far too expensive."),
            ("Good prices and fair offers.", "Great value for money."),
        ),
        "delivery": (
            (
                "The delivery was a week late.",
                "My package arrived damaged and late.",
                "Delivery took much longer than promised.",
            ),
            ("Fast delivery, the package came the next day.", "Delivery was on time and well packed."),
        ),
        "website": (
            ("The website is slow and hard to navigate.", "Search on the website never finds what I need."),
            ("The website is easy to use.", "Easy to find what I needed online."),
        ),
        "app": (
            ("The app keeps crashing at checkout.", "I could not log in to the app."),
            ("The app works well and is easy to use.", "I like ordering through the app."),
        ),
        "returns": (
            ("Returning an item was complicated and slow.", "I am still waiting for my refund."),
            ("Returns were easy and the refund came quickly.", "Simple return process."),
        ),
        "communication": (
            ("Nobody told me my order was delayed.", "The information in the e-mails was confusing."),
            ("Clear information about my order all the way.", "Good SMS updates about the order."),
        ),
    },
    "nb": {
        "response_time": (
            (
                "Jeg ventet altfor lenge på svar.",
                "Ingen svarte på e-posten min på en uke.",
                "Over 40 minutters kø på telefonen.",
            ),
            ("Raskt svar, jeg fikk hjelp samme dag.", "Fikk svar i løpet av noen minutter."),
        ),
        "staff_friendliness": (
            ("De ansatte i butikken var uhøflige.", "Personen på telefonen var utålmodig og lite hyggelig."),
            ("Veldig hyggelige ansatte, jeg følte meg velkommen.", "Ekspeditøren var utrolig vennlig og hjelpsom."),
        ),
        "competence": (
            ("De ansatte kunne ingenting om produktene.", "Jeg fikk feil informasjon om garantien."),
            ("Rådgiveren kunne produktene godt og ga gode råd.", "Kompetent hjelp, problemet ble løst med én gang."),
        ),
        "price": (
            ("Prisene er for høye sammenlignet med andre butikker.", "Fraktkostnadene er altfor dyre."),
            ("Gode priser og rettferdige tilbud.", "Mye for pengene."),
        ),
        "delivery": (
            (
                "Leveringen kom en uke for sent.",
                "Pakken kom skadet og forsinket.",
                "Leveringen tok mye lengre tid enn lovet.",
            ),
            ("Rask levering, pakken kom dagen etter.", "Leveringen kom i tide og var godt pakket."),
        ),
        "website": (
            ("Nettsiden er treg og vanskelig å navigere.", "Søket på nettsiden finner aldri det jeg leter etter."),
            ("Nettsiden er enkel å bruke.", "Lett å finne det jeg trengte på nett."),
        ),
        "app": (
            ("Appen krasjer hele tiden i kassen.", "Jeg fikk ikke logget inn i appen."),
            ("Appen fungerer bra og er lett å bruke.", "Jeg liker å bestille via appen."),
        ),
        "returns": (
            ("Returen var tungvint og tok lang tid.", "Jeg venter fortsatt på å få pengene tilbake."),
            ("Enkel retur, og pengene kom raskt tilbake.", "Greit og ryddig returopplegg."),
        ),
        "communication": (
            ("Ingen sa fra at bestillingen var forsinket.", "Informasjonen i e-postene var forvirrende."),
            ("Tydelig informasjon om bestillingen hele veien.", "Gode oppdateringer på SMS om ordren."),
        ),
    },
    "da": {
        "response_time": (
            (
                "Jeg ventede alt for længe på svar.",
                "Ingen svarede på min e-mail i en uge.",
                "Over 40 minutters kø i telefonen.",
            ),
            ("Hurtigt svar, jeg fik hjælp samme dag.", "Jeg fik svar på få minutter."),
        ),
        "staff_friendliness": (
            ("Personalet i butikken var uhøflige.", "Medarbejderen i telefonen var utålmodig og uvenlig."),
            ("Meget venligt personale, jeg følte mig velkommen.", "Ekspedienten var virkelig sød og hjælpsom."),
        ),
        "competence": (
            ("Personalet kendte slet ikke produkterne.", "Jeg fik forkert information om garantien."),
            ("Rådgiveren kendte produkterne og gav gode råd.", "Kompetent hjælp, problemet blev løst med det samme."),
        ),
        "price": (
            ("Priserne er for høje i forhold til andre butikker.", "Fragten er alt for dyr."),
            ("Gode priser og fair tilbud.", "Meget for pengene."),
        ),
        "delivery": (
            (
                "Leveringen var en uge forsinket.",
                "Pakken kom beskadiget og for sent.",
                "Leveringen tog meget længere tid end lovet.",
            ),
            ("Hurtig levering, pakken kom dagen efter.", "Leveringen kom til tiden og var godt pakket."),
        ),
        "website": (
            (
                "Hjemmesiden er langsom og svær at finde rundt på.",
                "Søgningen på hjemmesiden finder aldrig det, jeg leder efter.",
            ),
            ("Hjemmesiden er nem at bruge.", "Let at finde det, jeg skulle bruge, på nettet."),
        ),
        "app": (
            ("Appen går ned, hver gang jeg skal betale.", "Jeg kunne ikke logge ind i appen."),
            ("Appen fungerer godt og er nem at bruge.", "Jeg kan godt lide at bestille via appen."),
        ),
        "returns": (
            ("Det var besværligt og langsomt at returnere varen.", "Jeg venter stadig på at få pengene tilbage."),
            ("Nem returnering, og pengene kom hurtigt retur.", "Enkel returproces."),
        ),
        "communication": (
            ("Ingen fortalte mig, at ordren var forsinket.", "Informationen i mails var forvirrende."),
            ("Klar information om ordren hele vejen.", "Gode opdateringer på SMS om ordren."),
        ),
    },
    "sv": {
        "response_time": (
            (
                "Jag väntade alldeles för länge på svar.",
                "Ingen svarade på mitt mejl på en vecka.",
                "Över 40 minuters kö i telefon.",
            ),
            ("Snabbt svar, jag fick hjälp samma dag.", "Jag fick svar inom några minuter."),
        ),
        "staff_friendliness": (
            ("Personalen i butiken var otrevlig.", "Personen i telefon var otålig och ovänlig."),
            ("Väldigt trevlig personal, jag kände mig välkommen.", "Butiksbiträdet var jättevänligt och hjälpsamt."),
        ),
        "competence": (
            ("Personalen kunde ingenting om produkterna.", "Jag fick fel information om garantin."),
            ("Rådgivaren kunde produkterna och gav bra råd.", "Kompetent hjälp, problemet löstes direkt."),
        ),
        "price": (
            ("Priserna är för höga jämfört med andra butiker.", "Fraktkostnaden är alldeles för dyr."),
            ("Bra priser och schyssta erbjudanden.", "Mycket för pengarna."),
        ),
        "delivery": (
            (
                "Leveransen kom en vecka för sent.",
                "Paketet kom skadat och försenat.",
                "Leveransen tog mycket längre tid än utlovat.",
            ),
            ("Snabb leverans, paketet kom dagen efter.", "Leveransen kom i tid och var väl förpackad."),
        ),
        "website": (
            (
                "Webbplatsen är långsam och svår att navigera.",
                "Sökfunktionen på webbplatsen hittar aldrig det jag letar efter.",
            ),
            ("Webbplatsen är lätt att använda.", "Lätt att hitta det jag behövde på nätet."),
        ),
        "app": (
            ("Appen kraschar hela tiden i kassan.", "Jag kunde inte logga in i appen."),
            ("Appen fungerar bra och är lätt att använda.", "Jag gillar att beställa via appen."),
        ),
        "returns": (
            ("Returen var krånglig och tog lång tid.", "Jag väntar fortfarande på återbetalningen."),
            ("Enkel retur, och pengarna kom snabbt tillbaka.", "Smidig returhantering."),
        ),
        "communication": (
            ("Ingen meddelade att beställningen var försenad.", "Informationen i mejlen var förvirrande."),
            ("Tydlig information om beställningen hela vägen.", "Bra uppdateringar via sms om ordern."),
        ),
    },
}

# Comments planted for the privacy and safety checks: (file, language, kind,
# planted value, full comment). They replace the comment of a chosen row.
PII_PLANTS = (
    (
        RELATIONAL_FILE,
        "nb",
        "email",
        "kari.nordmann@example.no",
        "Kontakt meg gjerne på kari.nordmann@example.no om bestillingen min.",
    ),
    (
        RELATIONAL_FILE,
        "nb",
        "phone",
        "+47 912 34 567",
        "Ring meg på +47 912 34 567, så kan jeg forklare hva som skjedde med leveringen.",
    ),
    (TRANSACTIONAL_FILE, "sv", "phone", "070-123 45 67", "Ring mig på 070-123 45 67 så berättar jag mer om returen."),
    (
        TRANSACTIONAL_FILE,
        "da",
        "email",
        "mette.hansen@example.dk",
        "Skriv venligst til mette.hansen@example.dk om min reklamation.",
    ),
)
SCRIPT_PLANT = (
    TRANSACTIONAL_FILE,
    "en",
    "script",
    "<script>alert('cx')</script>",
    "Good service overall <script>alert('cx')</script>",
)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _sample_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (n x k); returns indices."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _mapping_matrix(rows: tuple[str, ...], cols: tuple[str, ...], spec: dict) -> np.ndarray:
    """Turn {row: {col: p}} into a row-stochastic matrix in the given orders."""
    out = np.zeros((len(rows), len(cols)))
    for i, row in enumerate(rows):
        for col, p in spec.get(row, {}).items():
            out[i, cols.index(col)] = p
    return out


def _ordinal(latent: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Ordered-probit category 1..len(cuts)+1 for each latent value."""
    return 1 + (latent[..., None] >= cuts).sum(axis=-1)


def _ordinal_probs(mean: float, cuts: np.ndarray) -> np.ndarray:
    """Exact category probabilities of ``_ordinal(mean + N(0, 1))``."""
    cdf = np.concatenate([[0.0], ndtr(cuts - mean), [1.0]])
    return np.diff(cdf)


def _ordinal_mean(mean: float, cuts: np.ndarray) -> float:
    return float(1.0 + ndtr(mean - cuts).sum())


def _csat_latent_mean(top2: float) -> float:
    """Latent CSAT mean that gives the wanted top-two-box (4-5) share."""
    return float(ndtri(top2) + CSAT_CUTS[2])


def _timestamps(
    rng: np.random.Generator,
    per_quarter: tuple[int, ...],
    hour_weights: np.ndarray,
    weekend_factor: float,
    with_seconds: bool = False,
) -> np.ndarray:
    """Sorted local timestamps, a fixed number per quarter of 2025."""
    parts = []
    for q, n in enumerate(per_quarter):
        days = np.arange(np.datetime64(QUARTER_STARTS[q]), np.datetime64(QUARTER_STARTS[q + 1]), dtype="datetime64[D]")
        weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday
        w = np.where(weekday >= 5, weekend_factor, 1.0)
        parts.append(rng.choice(days, size=n, p=w / w.sum()))
    day = np.concatenate(parts)
    hour = rng.choice(24, size=len(day), p=hour_weights / hour_weights.sum())
    minute = rng.integers(0, 60, size=len(day))
    ts = day.astype("datetime64[s]") + (hour * 3600 + minute * 60).astype("timedelta64[s]")
    if with_seconds:
        ts = ts + rng.integers(0, 60, size=len(day)).astype("timedelta64[s]")
    return np.sort(ts, kind="stable")


def _quarter_index(ts: np.ndarray) -> np.ndarray:
    bounds = np.array(QUARTER_STARTS[1:4], dtype="datetime64[s]")
    return np.searchsorted(bounds, ts, side="right")


def _nps(scores: np.ndarray) -> float:
    scores = np.asarray(scores)
    if len(scores) == 0:
        return float("nan")
    return float(100.0 * (np.mean(scores >= 9) - np.mean(scores <= 6)))


def _solve(f: Any, lo: float, hi: float) -> float:
    """Root of a monotone function on [lo, hi] by bisection."""
    f_lo = f(lo)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        f_mid = f(mid)
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _r(x: float, digits: int = 4) -> float:
    return round(float(x), digits)


def _ids(prefix: str, first: int, n: int, width: int) -> np.ndarray:
    """Formatted identifiers such as R-000001 for first, first + 1, ..."""
    numbers = np.char.zfill(np.arange(first, first + n).astype(str), width)
    return np.char.add(prefix, numbers).astype(object)


def _decapitalise(sentence: str) -> str:
    if sentence.startswith("I "):
        return sentence
    return sentence[0].lower() + sentence[1:]


# --------------------------------------------------------------------------
# Exact model quantities (used to plant and to document the truths)
# --------------------------------------------------------------------------


def _rating_profiles() -> tuple[np.ndarray, np.ndarray]:
    """All 5**6 rating profiles and their exact probabilities.

    Ratings are conditionally independent given the shared satisfaction
    factor, so the joint probability is a one-dimensional integral, done with
    Gauss-Hermite quadrature.
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / weights.sum()
    edges = np.concatenate([[-np.inf], RATING_THRESHOLDS, [np.inf]])
    centre = ATTRIBUTE_LATENT_MEANS[:, None, None] + LOADING_SHARED * nodes[None, :, None]
    cdf = ndtr((edges[None, None, :] - centre) / LOADING_SPECIFIC)
    per_node = np.diff(cdf, axis=2)  # (attributes, nodes, 5)
    profiles = np.array(list(itertools.product(range(5), repeat=len(ATTRIBUTES))))
    joint = np.ones((len(nodes), len(profiles)))
    for j in range(len(ATTRIBUTES)):
        joint *= per_node[j][:, profiles[:, j]]
    return profiles + 1, weights @ joint


def _true_shares(profiles: np.ndarray, probs: np.ndarray, shift: float) -> tuple[float, float]:
    """Exact promoter and detractor shares for one additive latent shift."""
    mean = DRIVER_INTERCEPT + profiles @ DRIVER_COEFFICIENTS + shift
    promoter = probs @ ndtr((mean - 8.5) / DRIVER_NOISE_SD)
    detractor = probs @ ndtr((6.5 - mean) / DRIVER_NOISE_SD)
    return float(promoter), float(detractor)


def _true_group(profiles: np.ndarray, probs: np.ndarray, region_shift: float) -> dict[str, Any]:
    """True NPS of a region, mixing the survey channels at their shares."""
    promoter = detractor = 0.0
    by_channel = {}
    for c, channel in enumerate(SURVEY_CHANNELS):
        p, d = _true_shares(profiles, probs, region_shift + SURVEY_CHANNEL_SHIFT[c])
        by_channel[channel] = 100.0 * (p - d)
        promoter += SURVEY_CHANNEL_SHARES[c] * p
        detractor += SURVEY_CHANNEL_SHARES[c] * d
    return {
        "promoter": promoter,
        "detractor": detractor,
        "nps": 100.0 * (promoter - detractor),
        "by_channel": by_channel,
    }


def _solve_nord_shift(profiles: np.ndarray, probs: np.ndarray) -> float:
    other = _true_group(profiles, probs, 0.0)["nps"]
    return float(_solve(lambda s: other - _true_group(profiles, probs, s)["nps"] - NPS_GAP_NORD, -3.0, 0.0))


def _true_relative_weights(profiles: np.ndarray, probs: np.ndarray, nord_shift: float) -> np.ndarray:
    """Exact population relative weights of the six ratings on the 0-10 score.

    The score distribution given a rating profile is known in closed form
    (rounded, clipped normal), so the joint moments of ratings and score are
    exact sums over the 5**6 profiles, mixing regions and survey channels at
    their shares.
    """
    k = np.arange(11)
    upper = np.where(k == 10, np.inf, k + 0.5)
    lower = np.where(k == 0, -np.inf, k - 0.5)
    base = DRIVER_INTERCEPT + profiles @ DRIVER_COEFFICIENTS
    first = np.zeros(len(profiles))
    second = np.zeros(len(profiles))
    nord = REGIONS.index("Nord")
    for r, region_share in enumerate(REGION_SHARES):
        for c, channel_share in enumerate(SURVEY_CHANNEL_SHARES):
            mean = base + (nord_shift if r == nord else 0.0) + SURVEY_CHANNEL_SHIFT[c]
            p_k = ndtr((upper[None, :] - mean[:, None]) / DRIVER_NOISE_SD) - ndtr(
                (lower[None, :] - mean[:, None]) / DRIVER_NOISE_SD
            )
            first += region_share * channel_share * (p_k @ k)
            second += region_share * channel_share * (p_k @ k**2)
    x = profiles - probs @ profiles
    y = first - probs @ first
    cov_xx = x.T @ (probs[:, None] * x)
    cov_xy = x.T @ (probs * y)
    var_y = probs @ second - (probs @ first) ** 2
    sd_x = np.sqrt(np.diag(cov_xx))
    r_xy = cov_xy / (sd_x * np.sqrt(var_y))
    corr = np.block([[np.ones((1, 1)), r_xy[None, :]], [r_xy[:, None], cov_xx / np.outer(sd_x, sd_x)]])
    return weights_from_correlations(corr)


def _quadrants(share: np.ndarray, performance: np.ndarray) -> list[str]:
    """Quadrant of each driver, split at the mean importance share and the mean performance."""
    important = share >= share.mean()
    strong = performance >= performance.mean()
    labels = np.select(
        [important & ~strong, important & strong, ~important & strong],
        ["fix first", "keep up", "maintain"],
        default="lower priority",
    )
    return [str(label) for label in labels]


def _intervention_shifts() -> tuple[float, float, float]:
    """Latent shifts that give exactly the planted CSAT and CES effects.

    Returns (handling-factor shift, extra effort-specific CES shift, total CES
    latent shift).
    """
    before = CSAT_TOP2[INTERVENTION_TOUCHPOINT]
    csat_shift = ndtri(before + INTERVENTION_TOP2_EFFECT) - ndtri(before)
    handling = csat_shift / HANDLING_ON_CSAT
    nu = CES_LATENT_MEAN[INTERVENTION_TOUCHPOINT]
    target = _ordinal_mean(nu, CES_CUTS) + INTERVENTION_CES_EFFECT
    ces_shift = _solve(lambda s: _ordinal_mean(nu + s, CES_CUTS) - target, 0.0, 3.0)
    return float(handling), float(ces_shift - HANDLING_ON_CES * handling), float(ces_shift)


# --------------------------------------------------------------------------
# Comments
# --------------------------------------------------------------------------


class _PhraseBank:
    """All sentences in flat arrays, addressable by (language, theme, tone)."""

    def __init__(self) -> None:
        flat: list[str] = []
        starts = np.zeros((len(LANGUAGES), len(THEMES), 2), dtype=np.int64)
        counts = np.zeros_like(starts)
        for li, lang in enumerate(LANGUAGES):
            for ti, theme in enumerate(THEMES):
                for tone, sentences in enumerate(PHRASES[lang][theme]):
                    starts[li, ti, tone] = len(flat)
                    counts[li, ti, tone] = len(sentences)
                    flat.extend(sentences)
        self.flat = np.array(flat, dtype=object)
        self.flat_lower = np.array([_decapitalise(s) for s in flat], dtype=object)
        self.starts = starts
        self.counts = counts
        self.openers = np.array([PASSIVE_OPENERS[lang] + " " for lang in LANGUAGES], dtype=object)

    def pick(self, rng: np.random.Generator, lang: np.ndarray, theme: np.ndarray, tone: np.ndarray) -> np.ndarray:
        start = self.starts[lang, theme, tone]
        count = self.counts[lang, theme, tone]
        return start + (rng.random(len(lang)) * count).astype(np.int64)


def _comments(
    rng: np.random.Generator,
    bank: _PhraseBank,
    lang: np.ndarray,
    group: np.ndarray,
    theme_probs: np.ndarray,
    comment_prob: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Build comments; returns (text, first theme, second theme), -1 = none.

    ``group`` is 0 negative, 1 passive, 2 positive. Negative comments are
    complaints, positive ones praise, passive ones open with a mild "mostly
    fine, but" before a complaint and, when there is a second sentence, end on
    praise.
    """
    n = len(lang)
    has = rng.random(n) < comment_prob
    theme1 = _sample_rows(rng, theme_probs)
    theme2 = _sample_rows(rng, theme_probs)
    theme2 = np.where(theme2 == theme1, (theme2 + 1) % len(THEMES), theme2)
    has2 = has & (rng.random(n) < SECOND_SENTENCE_SHARE)
    tone1 = (group == 2).astype(np.int64)
    tone2 = (group >= 1).astype(np.int64)
    first = bank.pick(rng, lang, theme1, tone1)
    second = bank.pick(rng, lang, theme2, tone2)
    passive = group == 1
    text = np.where(passive, bank.openers[lang] + bank.flat_lower[first], bank.flat[first])
    text = np.where(has2, text + " " + bank.flat[second], text)
    text = np.where(has, text, "").astype(object)
    return text, np.where(has, theme1, -1), np.where(has2, theme2, -1)


def _theme_counts(group: np.ndarray, theme1: np.ndarray, theme2: np.ndarray) -> dict[str, dict[str, int]]:
    out = {}
    for g, name in enumerate(SCORE_GROUPS):
        mentions = np.concatenate([theme1[group == g], theme2[group == g]])
        mentions = mentions[mentions >= 0]
        counts = np.bincount(mentions, minlength=len(THEMES))
        order = np.argsort(-counts, kind="stable")
        out[name] = {THEMES[t]: int(counts[t]) for t in order}
    return out


# --------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------


def _customers(rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = N_CUSTOMERS
    region = rng.choice(len(REGIONS), size=n, p=REGION_SHARES)
    ctype = rng.choice(len(CUSTOMER_TYPES), size=n, p=CUSTOMER_TYPE_SHARES)
    lang = rng.choice(len(LANGUAGES), size=n, p=LANGUAGE_SHARES)
    revenue = np.rint(REVENUE_MEDIAN_NOK * np.exp(REVENUE_LOG_SD * rng.standard_normal(n))).astype(np.int64)
    ids = _ids("C-", 1, n, 5)
    return {"id": ids, "region": region, "type": ctype, "lang": lang, "revenue": revenue}


def _relational(
    rng: np.random.Generator, cust: dict[str, np.ndarray], bank: _PhraseBank, nord_shift: float
) -> dict[str, Any]:
    ts = _timestamps(rng, RELATIONAL_PER_QUARTER, SURVEY_HOUR_WEIGHTS, SURVEY_WEEKEND_FACTOR)
    n = len(ts)
    who = rng.integers(0, N_CUSTOMERS, size=n)
    channel = rng.choice(len(SURVEY_CHANNELS), size=n, p=SURVEY_CHANNEL_SHARES)
    # Interviews happen in office hours: redraw their time of day, keep the day.
    interview = channel == SURVEY_CHANNELS.index("Phone interview")
    day = ts.astype("datetime64[D]")
    hour = rng.choice(24, size=n, p=INTERVIEW_HOUR_WEIGHTS / INTERVIEW_HOUR_WEIGHTS.sum())
    minute = rng.integers(0, 60, size=n)
    interview_ts = day.astype("datetime64[s]") + (hour * 3600 + minute * 60).astype("timedelta64[s]")
    ts = np.where(interview, interview_ts, ts)
    order = np.argsort(ts, kind="stable")
    ts, who, channel = ts[order], who[order], channel[order]
    region = cust["region"][who]
    lang = cust["lang"][who]

    satisfaction = rng.standard_normal(n)
    latent = (
        ATTRIBUTE_LATENT_MEANS
        + LOADING_SHARED * satisfaction[:, None]
        + LOADING_SPECIFIC * rng.standard_normal((n, len(ATTRIBUTES)))
    )
    ratings = _ordinal(latent, RATING_THRESHOLDS)
    region_shift = np.where(region == REGIONS.index("Nord"), nord_shift, 0.0)
    x = (
        DRIVER_INTERCEPT
        + ratings @ DRIVER_COEFFICIENTS
        + region_shift
        + SURVEY_CHANNEL_SHIFT[channel]
        + DRIVER_NOISE_SD * rng.standard_normal(n)
    )
    score = np.rint(np.clip(x, 0.0, 10.0)).astype(np.int64)
    rating_missing = rng.random((n, len(ATTRIBUTES))) < RATING_MISSING_SHARE
    a, b = BUY_AGAIN_LOGIT
    buy_again = rng.random(n) < 1.0 / (1.0 + np.exp(-(a + b * score)))
    group = np.select([score <= 6, score <= 8], [0, 1], 2)
    theme_probs = np.array([THEME_PROBS[g] for g in SCORE_GROUPS])[group]
    comment_prob = np.array([COMMENT_PROB_RELATIONAL[g] for g in SCORE_GROUPS])[group]
    text, theme1, theme2 = _comments(rng, bank, lang, group, theme_probs, comment_prob)
    lang_blank = rng.random(n) < LANGUAGE_BLANK_SHARE
    return {
        "ts": ts,
        "who": who,
        "region": region,
        "lang": lang,
        "channel": channel,
        "ratings": ratings,
        "rating_missing": rating_missing,
        "score": score,
        "buy_again": buy_again,
        "group": group,
        "text": text,
        "theme1": theme1,
        "theme2": theme2,
        "lang_blank": lang_blank,
    }


def _transactional(
    rng: np.random.Generator, cust: dict[str, np.ndarray], bank: _PhraseBank, shifts: tuple[float, float, float]
) -> dict[str, Any]:
    ts = _timestamps(rng, TRANSACTIONAL_PER_QUARTER, SURVEY_HOUR_WEIGHTS, SURVEY_WEEKEND_FACTOR)
    n = len(ts)
    quarter = _quarter_index(ts)
    who = rng.integers(0, N_CUSTOMERS, size=n)
    region = cust["region"][who]
    lang = cust["lang"][who]
    survey = rng.choice(len(SURVEYS), size=n, p=SURVEY_SHARES)
    tp_probs = np.array(
        [
            _mapping_matrix(("p",), TOUCHPOINTS, {"p": PURCHASE_TOUCHPOINTS})[0],
            _mapping_matrix(("s",), TOUCHPOINTS, {"s": SUPPORT_TOUCHPOINTS})[0],
        ]
    )
    touchpoint = _sample_rows(rng, tp_probs[survey])
    channel = _sample_rows(rng, _mapping_matrix(TOUCHPOINTS, CHANNELS, TOUCHPOINT_CHANNELS)[touchpoint])

    # CSAT latent mean per row: touchpoint baseline, Delivery drop in Q3.
    top2 = np.array([CSAT_TOP2[t] for t in TOUCHPOINTS])[touchpoint]
    drop = (touchpoint == TOUCHPOINTS.index(DROP_TOUCHPOINT)) & (quarter == QUARTERS.index(DROP_QUARTER))
    top2 = np.where(drop, DROP_TOP2, top2)
    mu = ndtri(top2) + CSAT_CUTS[2]
    ces_nu = np.array([CES_LATENT_MEAN.get(t, 0.0) for t in TOUCHPOINTS])[touchpoint]

    support = survey == SURVEYS.index("after_support")
    treated = (
        (touchpoint == TOUCHPOINTS.index(INTERVENTION_TOUCHPOINT))
        & (region == REGIONS.index(INTERVENTION_REGION))
        & (ts >= np.datetime64(INTERVENTION_START, "s"))
    )
    handling_shift, effort_shift, _ = shifts
    handling = rng.standard_normal(n) + np.where(treated, handling_shift, 0.0)
    e_csat = rng.standard_normal(n)
    e_ces = rng.standard_normal(n)
    csat_noise = np.where(support, HANDLING_ON_CSAT * handling + np.sqrt(1 - HANDLING_ON_CSAT**2) * e_csat, e_csat)
    csat = _ordinal(mu + csat_noise, CSAT_CUTS)
    ces_latent = (
        ces_nu
        + np.where(treated, effort_shift, 0.0)
        + HANDLING_ON_CES * handling
        + np.sqrt(1 - HANDLING_ON_CES**2) * e_ces
    )
    ces = np.where(support, _ordinal(ces_latent, CES_CUTS), 0)

    group = np.select([csat <= 2, csat == 3], [0, 1], 2)
    home = _mapping_matrix(TOUCHPOINTS, THEMES, TOUCHPOINT_THEMES)[touchpoint]
    theme_probs = (
        TOUCHPOINT_THEME_WEIGHT * home
        + (1 - TOUCHPOINT_THEME_WEIGHT) * np.array([THEME_PROBS[g] for g in SCORE_GROUPS])[group]
    )
    comment_prob = np.array([COMMENT_PROB_TRANSACTIONAL[g] for g in SCORE_GROUPS])[group]
    text, theme1, theme2 = _comments(rng, bank, lang, group, theme_probs, comment_prob)
    lang_blank = rng.random(n) < LANGUAGE_BLANK_SHARE
    return {
        "ts": ts,
        "quarter": quarter,
        "who": who,
        "region": region,
        "lang": lang,
        "survey": survey,
        "touchpoint": touchpoint,
        "channel": channel,
        "csat": csat,
        "ces": ces,
        "support": support,
        "treated": treated,
        "group": group,
        "text": text,
        "theme1": theme1,
        "theme2": theme2,
        "lang_blank": lang_blank,
    }


def _tickets(rng: np.random.Generator) -> dict[str, np.ndarray]:
    ts = _timestamps(rng, TICKETS_PER_QUARTER, TICKET_HOUR_WEIGHTS, TICKET_WEEKEND_FACTOR, with_seconds=True)
    n = len(ts)
    tp_names = tuple(TICKET_TOUCHPOINTS)
    region = rng.choice(len(REGIONS), size=n, p=REGION_SHARES)
    touchpoint = rng.choice(len(tp_names), size=n, p=np.array(list(TICKET_TOUCHPOINTS.values())))
    channel = _sample_rows(rng, _mapping_matrix(tp_names, TICKET_CHANNELS, TICKET_TOUCHPOINT_CHANNELS)[touchpoint])
    median = np.array([FIRST_RESPONSE_MEDIAN_HOURS[c] for c in TICKET_CHANNELS])[channel]
    treated = (
        (touchpoint == tp_names.index(INTERVENTION_TOUCHPOINT))
        & (region == REGIONS.index(INTERVENTION_REGION))
        & (ts >= np.datetime64(INTERVENTION_START, "s"))
    )
    median = np.where(treated, median * INTERVENTION_RESPONSE_FACTOR, median)
    hours = median * np.exp(FIRST_RESPONSE_LOG_SD * rng.standard_normal(n))
    hours = np.maximum(np.round(hours, 2), 0.05)
    complaint = rng.random(n) < np.array([COMPLAINT_PROB[t] for t in tp_names])[touchpoint]
    return {
        "ts": ts,
        "region": region,
        "touchpoint": touchpoint,
        "tp_names": np.array(tp_names, dtype=object),
        "channel": channel,
        "hours": hours,
        "complaint": complaint,
        "treated": treated,
    }


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def _write_xlsx(path: pathlib.Path, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Write one sheet with fixed document properties and zip timestamps."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = TRANSACTIONAL_SHEET
    ws.append(list(columns))
    for row in rows:
        ws.append(row)
    for cell in ws["B"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    widths = {"A": 12, "B": 18, "C": 16, "D": 18, "E": 14, "F": 8, "G": 14, "H": 12, "I": 7, "J": 7, "K": 70, "L": 10}
    widths |= {"M": 14, "N": 14}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "cxanalysis sample"
    wb.properties.title = f"{CLIENT_NAME} transactional surveys (synthetic)"
    wb.properties.created = WORKBOOK_TIMESTAMP
    wb.properties.modified = WORKBOOK_TIMESTAMP

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    # Re-pack with a fixed timestamp on every member so the bytes are stable.
    stamp = WORKBOOK_TIMESTAMP.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def _blank_as_missing(values: np.ndarray, blank: np.ndarray) -> list:
    """The values as a list for a file, with the blank ones missing."""
    cells = values.astype(object)
    cells[blank] = None
    return cells.tolist()


def generate_sample(out_dir: pathlib.Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the sample client's data files into out_dir; return rows written per file name.

    Writes ``relational_nps.csv``, ``transactional.xlsx``, ``customers.csv``
    and ``tickets.csv``, plus ``truth.yml`` describing every planted effect.
    The same seed always produces the same file contents.
    """
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    bank = _PhraseBank()

    profiles, profile_probs = _rating_profiles()
    nord_shift = _solve_nord_shift(profiles, profile_probs)
    shifts = _intervention_shifts()

    cust = _customers(rng)
    rel = _relational(rng, cust, bank, nord_shift)
    trx = _transactional(rng, cust, bank, shifts)
    tic = _tickets(rng)

    n_rel, n_trx = len(rel["ts"]), len(trx["ts"])
    rel_ids = _ids("R-", 1, n_rel, 6)
    trx_ids = np.arange(FIRST_RESPONSE_ID, FIRST_RESPONSE_ID + n_trx)

    # ---- deliberately bad rows (one defect each, on distinct rows) --------
    dup_pos = int(rng.integers(1, n_rel))
    others = np.setdiff1d(np.arange(n_rel), [dup_pos - 1, dup_pos])
    high_pos, low_pos, date_pos, empty_pos = (int(p) for p in rng.choice(others, size=4, replace=False))
    rel_score = rel["score"].copy()
    rel_submitted = pd.Series(rel["ts"]).dt.strftime("%d.%m.%Y %H:%M").to_numpy(dtype=object)
    rel_ids[dup_pos] = rel_ids[dup_pos - 1]
    rel_score[high_pos] = 11
    rel_score[low_pos] = -1
    rel_submitted[date_pos] = "31.02.2025 10:00"
    rel_submitted[empty_pos] = ""
    rel_bad = [
        (
            dup_pos,
            "duplicate_id",
            "Respondent ID",
            f"second occurrence of {rel_ids[dup_pos]} (first occurrence is data row {dup_pos})",
        ),
        (high_pos, "score_out_of_range", NPS_COLUMN, "value 11 (allowed 0-10)"),
        (low_pos, "score_out_of_range", NPS_COLUMN, "value -1 (allowed 0-10)"),
        (date_pos, "unparseable_date", "Submitted", "value '31.02.2025 10:00' (31 February)"),
        (empty_pos, "missing_required", "Submitted", "empty"),
    ]

    support_pos = np.flatnonzero(trx["support"])
    purchase_pos = np.flatnonzero(~trx["support"])
    csat6_pos = int(rng.choice(purchase_pos))
    ces9_pos, empty_trx_pos = (int(p) for p in rng.choice(support_pos, size=2, replace=False))
    trx_csat = trx["csat"].astype(object)
    trx_ces = trx["ces"].astype(object)
    trx_ces[~trx["support"]] = None
    trx_text = trx["text"].copy()
    trx_csat[csat6_pos] = 6
    trx_ces[ces9_pos] = 9
    trx_csat[empty_trx_pos] = None
    trx_ces[empty_trx_pos] = None
    trx_text[empty_trx_pos] = ""
    trx_bad = [
        (csat6_pos, "score_out_of_range", "CSAT", "value 6 (allowed 1-5)"),
        (ces9_pos, "score_out_of_range", "CES", "value 9 (allowed 1-7)"),
        (empty_trx_pos, "no_answers", "CSAT, CES, Comment", "no CSAT, no CES and no comment"),
    ]

    # ---- privacy and safety plants (never on a bad row) -------------------
    taken = {
        RELATIONAL_FILE: {p for p, *_ in rel_bad} | {dup_pos - 1},
        TRANSACTIONAL_FILE: {p for p, *_ in trx_bad},
    }
    rel_text = rel["text"].copy()
    plants = []
    for file, lang, kind, value, comment in (*PII_PLANTS, SCRIPT_PLANT):
        row_langs = rel["lang"] if file == RELATIONAL_FILE else trx["lang"]
        candidates = np.flatnonzero(row_langs == LANGUAGES.index(lang))
        candidates = np.setdiff1d(candidates, np.array(sorted(taken[file]), dtype=np.int64))
        pos = int(rng.choice(candidates))
        taken[file].add(pos)
        if file == RELATIONAL_FILE:
            rel_text[pos] = comment
            rel["theme1"][pos] = rel["theme2"][pos] = -1
            row_id: Any = str(rel_ids[pos])
        else:
            trx_text[pos] = comment
            trx["theme1"][pos] = trx["theme2"][pos] = -1
            row_id = int(trx_ids[pos])
        plants.append(
            {
                "file": file,
                "id": row_id,
                "data_row": pos + 1,
                "kind": kind,
                "value": value,
                "language": lang,
                "comment": comment,
            }
        )

    # ---- churn, from the valid survey rows --------------------------------
    rel_valid = np.ones(n_rel, dtype=bool)
    rel_valid[[p for p, *_ in rel_bad]] = False
    trx_valid = np.ones(n_trx, dtype=bool)
    trx_valid[[p for p, *_ in trx_bad]] = False
    dissatisfied = np.zeros(N_CUSTOMERS, dtype=bool)
    dissatisfied[rel["who"][rel_valid & (rel["score"] <= 6)]] = True
    dissatisfied[trx["who"][trx_valid & (trx["csat"] <= 3)]] = True
    churn_prob = np.where(dissatisfied, CHURN_PROB_DISSATISFIED, CHURN_PROB_OTHER)
    churned = (rng.random(N_CUSTOMERS) < churn_prob).astype(np.int64)

    # ---- write the files ---------------------------------------------------
    regions = np.array(REGIONS, dtype=object)
    ctypes = np.array(CUSTOMER_TYPES, dtype=object)
    langs = np.array(LANGUAGES, dtype=object)

    rel_frame = pd.DataFrame(
        {
            "Respondent ID": rel_ids,
            "Submitted": rel_submitted,
            "Customer ID": cust["id"][rel["who"]],
            "Region": regions[rel["region"]],
            "Customer type": ctypes[cust["type"][rel["who"]]],
            "Survey channel": np.array(SURVEY_CHANNELS, dtype=object)[rel["channel"]],
            NPS_COLUMN: rel_score,
        }
    )
    for j, attribute in enumerate(ATTRIBUTES):
        rel_frame[attribute] = pd.arrays.IntegerArray(
            rel["ratings"][:, j].astype(np.int64), rel["rating_missing"][:, j]
        )
    rel_frame[COMMENT_QUESTION] = rel_text
    rel_frame["Language"] = np.where(rel["lang_blank"], "", langs[rel["lang"]])
    rel_frame["Would buy again"] = np.where(rel["buy_again"], "Yes", "No")
    rel_frame = rel_frame[list(RELATIONAL_COLUMNS)]
    with open(out_dir / RELATIONAL_FILE, "w", encoding="utf-8-sig", newline="") as fh:
        rel_frame.to_csv(fh, sep=";", index=False, lineterminator="\r\n")

    trx_cols = {
        "ResponseID": trx_ids.tolist(),
        "Timestamp": trx["ts"].astype("datetime64[s]").astype(object).tolist(),
        "Survey": np.array(SURVEYS, dtype=object)[trx["survey"]].tolist(),
        "Touchpoint": np.array(TOUCHPOINTS, dtype=object)[trx["touchpoint"]].tolist(),
        "Channel": np.array(CHANNELS, dtype=object)[trx["channel"]].tolist(),
        "Region": regions[trx["region"]].tolist(),
        "Customer type": ctypes[cust["type"][trx["who"]]].tolist(),
        "Customer ID": cust["id"][trx["who"]].tolist(),
        "CSAT": trx_csat.tolist(),
        "CES": trx_ces.tolist(),
        "Comment": _blank_as_missing(trx_text, trx_text == ""),
        "Language": _blank_as_missing(langs[trx["lang"]], trx["lang_blank"]),
    }
    agents = _teams_and_agents(out_dir, seed, trx, trx_valid)
    trx_cols["Team"], trx_cols["Agent"] = agents.pop("team"), agents.pop("agent")
    trx_rows = [list(r) for r in zip(*(trx_cols[c] for c in TRANSACTIONAL_COLUMNS))]
    _write_xlsx(out_dir / TRANSACTIONAL_FILE, TRANSACTIONAL_COLUMNS, trx_rows)

    customers = pd.DataFrame(
        {
            "customer_id": cust["id"],
            "region": regions[cust["region"]],
            "customer_type": ctypes[cust["type"]],
            "annual_revenue": cust["revenue"],
            "churned_next_period": churned,
            "period": CHURN_PERIOD,
        }
    )
    customers.to_csv(out_dir / CUSTOMERS_FILE, index=False, encoding="utf-8", lineterminator="\n")

    n_tic = len(tic["ts"])
    tickets = pd.DataFrame(
        {
            "ticket_id": _ids("T-", FIRST_TICKET_NUMBER, n_tic, 6),
            "opened_at": pd.Series(tic["ts"]).dt.strftime("%Y-%m-%dT%H:%M:%S"),
            "first_response_hours": tic["hours"],
            "region": regions[tic["region"]],
            "channel": np.array(TICKET_CHANNELS, dtype=object)[tic["channel"]],
            "touchpoint": tic["tp_names"][tic["touchpoint"]],
            "is_complaint": tic["complaint"].astype(np.int64),
        }
    )
    tickets.to_csv(out_dir / TICKETS_FILE, index=False, encoding="utf-8", lineterminator="\n", float_format="%.2f")

    counts = {
        RELATIONAL_FILE: n_rel,
        TRANSACTIONAL_FILE: n_trx,
        CUSTOMERS_FILE: N_CUSTOMERS,
        TICKETS_FILE: n_tic,
    }
    truth = _truth(
        seed=seed,
        counts=counts,
        profiles=profiles,
        profile_probs=profile_probs,
        nord_shift=nord_shift,
        shifts=shifts,
        rel=rel,
        trx=trx,
        tic=tic,
        rel_ids=rel_ids,
        trx_ids=trx_ids,
        rel_valid=rel_valid,
        trx_valid=trx_valid,
        rel_bad=rel_bad,
        trx_bad=trx_bad,
        plants=plants,
        cust=cust,
        dissatisfied=dissatisfied,
        churned=churned,
    )
    truth["teams_and_agents"] = agents
    truth["weighting"] = _weighting_truth(rel, trx, rel_valid, trx_valid, cust)
    truth["follow_up"] = _follow_up_log(out_dir, seed, rel, trx, rel_ids, trx_ids, rel_valid, trx_valid, cust)
    truth.update(_invitations_and_benchmarks(out_dir, seed, rel, rel_valid))
    with open(out_dir / TRUTH_FILE, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# Planted truths of the synthetic sample client, written by\n"
            "# cxanalysis.sample.generate_sample. Do not edit by hand: regenerate.\n"
        )
        yaml.dump(truth, fh, Dumper=_TruthDumper, sort_keys=False, allow_unicode=True, width=100)
    return counts


# --------------------------------------------------------------------------
# follow-up log (closing the loop)
# --------------------------------------------------------------------------

FOLLOW_UP_FILE = "follow_up_log.csv"
FOLLOW_UP_COLUMNS = ("Response", "Customer", "Contacted on", "Resolved", "Score when asked again")
#: The latest quarter's detractors (NPS 0-6) and dissatisfied (CSAT 1-2) are contacted with this chance ...
FOLLOW_UP_CONTACTED_SHARE = 0.8
#: ... after this many working days (chances below): 35 % within one day, 65 % within two, so the median is 2.
FOLLOW_UP_DELAY_DAYS = (0, 1, 2, 3, 4, 5, 7, 10)
FOLLOW_UP_DELAY_CHANCES = (0.10, 0.25, 0.30, 0.15, 0.10, 0.05, 0.03, 0.02)
FOLLOW_UP_MEDIAN_DAYS = 2
#: The service level of the sample config (follow_up.service_level_days): due two working days after the answer.
FOLLOW_UP_SERVICE_LEVEL_DAYS = 2
#: Of those contacted: resolved, and asked the question again; of those asked again, lifted out of their group.
FOLLOW_UP_RESOLVED_SHARE = 0.7
FOLLOW_UP_RESURVEYED_SHARE = 0.6
FOLLOW_UP_RECOVERY_SHARE = 0.45


def _follow_up_log(
    out_dir: pathlib.Path,
    seed: int,
    rel: dict,
    trx: dict,
    rel_ids: np.ndarray,
    trx_ids: np.ndarray,
    rel_valid: np.ndarray,
    trx_valid: np.ndarray,
    cust: dict,
) -> dict[str, Any]:
    """Write the follow-up log of the latest quarter's detractors and dissatisfied customers (one row each,
    contacted or not) with a generator of its own, and return its planted and realised truths."""
    rng = np.random.default_rng([seed, 22, 1])
    latest = len(QUARTERS) - 1
    rel_listed = rel_valid & (_quarter_index(rel["ts"]) == latest) & (rel["score"] <= 6)
    trx_listed = trx_valid & (trx["quarter"] == latest) & (trx["csat"] <= 2)
    ids = np.concatenate([rel_ids[rel_listed].astype(object), trx_ids[trx_listed].astype(object)])
    customers = cust["id"][np.concatenate([rel["who"][rel_listed], trx["who"][trx_listed]])]
    answered = np.concatenate([rel["ts"][rel_listed], trx["ts"][trx_listed]]).astype("datetime64[D]")
    nps = np.concatenate([np.ones(rel_listed.sum(), dtype=bool), np.zeros(trx_listed.sum(), dtype=bool)])
    n = len(ids)
    contacted = rng.random(n) < FOLLOW_UP_CONTACTED_SHARE
    delay = rng.choice(FOLLOW_UP_DELAY_DAYS, size=n, p=FOLLOW_UP_DELAY_CHANCES)
    contact_day = np.busday_offset(answered, delay, roll="forward")
    resolved = contacted & (rng.random(n) < FOLLOW_UP_RESOLVED_SHARE)
    resurveyed = contacted & (rng.random(n) < FOLLOW_UP_RESURVEYED_SHARE)
    lifted = rng.random(n) < FOLLOW_UP_RECOVERY_SHARE
    # Asked again: a detractor answers 7-10 when lifted, else 0-6; a dissatisfied customer 3-5, else 1-2.
    low = np.where(nps, np.where(lifted, 7, 0), np.where(lifted, 3, 1))
    high = np.where(nps, np.where(lifted, 10, 6), np.where(lifted, 5, 2))
    again = rng.integers(low, high + 1)
    log = pd.DataFrame(
        {
            "Response": ids,
            "Customer": customers,
            "Contacted on": np.where(contacted, pd.Series(contact_day).dt.strftime("%Y-%m-%d"), ""),
            "Resolved": np.where(contacted, np.where(resolved, "yes", "no"), ""),
            "Score when asked again": np.where(resurveyed, again.astype(str), ""),
        }
    )
    log.sort_values(["Contacted on", "Response"], key=lambda c: c.astype(str), kind="stable").to_csv(
        out_dir / FOLLOW_UP_FILE, index=False, encoding="utf-8", lineterminator="\n"
    )
    # Due: the service level has passed by the latest valid answer or the latest contact, whichever is later.
    last_answer = max(rel["ts"][rel_valid].max(), trx["ts"][trx_valid].max()).astype("datetime64[D]")
    as_of = max(last_answer, contact_day[contacted].max())
    due = np.busday_offset(answered, FOLLOW_UP_SERVICE_LEVEL_DAYS, roll="forward") <= as_of
    days = np.busday_count(answered, contact_day)[due & contacted]
    again_due = due & resurveyed
    return {
        "file": FOLLOW_UP_FILE,
        "rows": n,
        "expected_valid": n,
        "expected_quarantined": 0,
        "columns": list(FOLLOW_UP_COLUMNS),
        "period": QUARTERS[latest],
        "listed": {"detractors": int(rel_listed.sum()), "dissatisfied": int(trx_listed.sum())},
        "service_level_working_days": FOLLOW_UP_SERVICE_LEVEL_DAYS,
        "as_of": str(as_of),
        "model": "each listed answer is contacted with chance contacted_share, after a delay drawn from "
        "delay_chances (working days, Monday to Friday; a weekend answer counts from Monday); of those contacted "
        "a share is resolved and a share asked again, and each asked again is lifted out of its group "
        "(detractor to 7-10, dissatisfied to CSAT 3-5) with chance recovery_share",
        "contacted_share": FOLLOW_UP_CONTACTED_SHARE,
        "delay_chances": dict(zip(FOLLOW_UP_DELAY_DAYS, FOLLOW_UP_DELAY_CHANCES)),
        "median_working_days": FOLLOW_UP_MEDIAN_DAYS,
        "resolved_share": FOLLOW_UP_RESOLVED_SHARE,
        "resurveyed_share": FOLLOW_UP_RESURVEYED_SHARE,
        "recovery_share": FOLLOW_UP_RECOVERY_SHARE,
        "realised": {
            "due": int(due.sum()),
            "contacted": int((due & contacted).sum()),
            "follow_up_rate": _r(100 * (due & contacted).sum() / due.sum(), 4),
            "median_working_days": float(np.median(days)),
            "resurveyed": int(again_due.sum()),
            "recovered": int((again_due & lifted).sum()),
            "recovery_rate": _r(100 * (again_due & lifted).sum() / again_due.sum(), 4),
        },
    }


# --------------------------------------------------------------------------
# Invitations (response rates) and benchmarks
# --------------------------------------------------------------------------

INVITATIONS_FILE = "invitations.csv"
#: Planted response rate of each channel of the relationship survey; SMS is the low-response channel.
INVITATION_RATES = {"E-mail": 0.32, "SMS": 0.16, "Phone interview": 0.42}
#: Each region's response rate relative to its channel's: customers in Nord answer less often, so they are
#: fewer among respondents than among those invited.
INVITATION_REGION_FACTORS = {"Nord": 0.65, "Vest": 1.0, "Øst": 1.0, "Sør": 1.0}
#: The benchmark values of the sample config (client.yml, benchmarks), both from invented sources.
SAMPLE_BENCHMARKS = (
    {"metric": "nps", "value": 30.0, "n": 1500, "source": "Nordic retail study (fictional)", "year": 2024},
    {
        "metric": "csat",
        "value": 74.0,
        "interval": [70.0, 78.0],
        "source": "Peer group of five retailers (fictional)",
        "year": 2025,
    },
)


def _true_latest_csat() -> float:
    """The generating CSAT top-two-box share of the transactional surveys in 2025Q4, in %: the touchpoints'
    shares times their planted shares, with the Vest support centre's change (its share of answers is the
    Vest share of customers)."""
    purchase = sum(share * CSAT_TOP2[t] for t, share in PURCHASE_TOUCHPOINTS.items())
    support = sum(share * CSAT_TOP2[t] for t, share in SUPPORT_TOUCHPOINTS.items())
    treated = SUPPORT_TOUCHPOINTS[INTERVENTION_TOUCHPOINT] * REGION_SHARES[REGIONS.index(INTERVENTION_REGION)]
    support += treated * INTERVENTION_TOP2_EFFECT
    return 100 * float(SURVEY_SHARES[0] * purchase + SURVEY_SHARES[1] * support)


def _invitations_and_benchmarks(
    out_dir: pathlib.Path, seed: int, rel: dict[str, Any], rel_valid: np.ndarray
) -> dict[str, Any]:
    """Write ``invitations.csv`` (relationship survey invitations per channel, quarter and region) and return
    the truths of the response rates and of the sample's benchmarks.

    Each cell's invited count is its responses (every row of the export, valid or not) plus the invitations
    that went unanswered, drawn as NegBin(responses, rate): the count of failures before that many
    successes, so that the cell's rate is the planted one on average and no cell has fewer invited than
    responses. Its own random generator leaves every other file as it was.
    """
    rng = np.random.default_rng([seed, 22, 2])
    quarter = _quarter_index(rel["ts"])
    channels, regions = list(INVITATION_RATES), list(INVITATION_REGION_FACTORS)
    cells = np.zeros((len(channels), len(QUARTERS), len(regions)), dtype=np.int64)
    valid = np.zeros_like(cells)
    np.add.at(cells, (rel["channel"], quarter, rel["region"]), 1)
    np.add.at(valid, (rel["channel"][rel_valid], quarter[rel_valid], rel["region"][rel_valid]), 1)
    rate = (
        np.array(list(INVITATION_RATES.values()))[:, None, None]
        * np.array(list(INVITATION_REGION_FACTORS.values()))[None, None, :]
    )
    invited = cells + rng.negative_binomial(np.maximum(cells, 1), np.broadcast_to(rate, cells.shape))
    c, q, g = np.indices(cells.shape).reshape(3, -1)
    pd.DataFrame(
        {
            "survey": "relational_nps",
            "channel": np.array(channels, dtype=object)[c],
            "period": np.array(QUARTERS, dtype=object)[q],
            "region": np.array(regions, dtype=object)[g],
            "invited": invited.ravel(),
        }
    ).to_csv(out_dir / INVITATIONS_FILE, index=False, encoding="utf-8", lineterminator="\n")
    by_channel = valid.sum(axis=(1, 2)) / invited.sum(axis=(1, 2))
    invited_region, valid_region = invited.sum(axis=(0, 1)), valid.sum(axis=(0, 1))
    true_csat = _true_latest_csat()
    return {
        "response_rates": {
            "file": INVITATIONS_FILE,
            "form": "counts per survey, channel, quarter and region (column invited)",
            "survey": "relational_nps",
            "model": "invited = responses + NegBin(responses, rate), rate = channel rate x region factor",
            "channel_rates_outside_nord": dict(INVITATION_RATES),
            "region_factors": dict(INVITATION_REGION_FACTORS),
            "low_response_channel": "SMS",
            "margin": "region",
            "under_represented": "Nord",
            "realised_rate_by_channel": {ch: _r(float(r)) for ch, r in zip(channels, by_channel)},
            "realised_invited_share_by_region": {
                r: _r(float(v)) for r, v in zip(regions, invited_region / invited_region.sum())
            },
            "realised_respondent_share_by_region": {
                r: _r(float(v)) for r, v in zip(regions, valid_region / valid_region.sum())
            },
            "invited": int(invited.sum()),
            "valid_responses": int(valid.sum()),
        },
        "benchmarks": {
            "config": "client.yml, benchmarks",
            "values": [dict(b) for b in SAMPLE_BENCHMARKS],
            "true_client_csat_2025Q4": _r(true_csat, 1),
            "expected_reading": {
                "nps": "below: the generating NPS is about 19 (regional_difference.true_overall_nps; phone "
                "interviews a little higher), more than 10 points under the reference 30",
                "csat": f"too close to tell (the reference is set at about the true CSAT, {_r(true_csat, 1)} %)",
            },
        },
    }


# --------------------------------------------------------------------------
# support teams, agents and agent satisfaction
# --------------------------------------------------------------------------

ASAT_FILE = "agent_satisfaction.csv"
ASAT_COLUMNS = ("Team", "Quarter", "ASAT (%)", "Agents answering")
#: The support teams by touchpoint (the support centre has two), and each team's agents (fictional names).
SUPPORT_TEAMS = {
    "Team Aurora": (
        "Support centre",
        ("Sindre L.", "Hanne B.", "Jonas E.", "Ida M.", "Petter S.", "Nora V.", "Camilla R.", "Lars I."),
    ),
    "Team Fjell": ("Support centre", ("Mari K.", "Eirik D.", "Silje T.", "Anders H.", "Kari O.", "Magnus R.")),
    "Returns desk": ("Returns", ("Lene A.", "Tor G.", "Ingrid F.", "Ola N.", "Frida J.")),
    "Social care": ("Social media", ("Emma W.", "Henrik P.", "Sara Å.", "Viktor Ø.")),
}
#: The agent who is truly worse: this many valid answers, with a share satisfied (CSAT 4-5) this many points
#: below their team's, by choosing which of the team's answers are theirs.
WORSE_AGENT = ("Team Aurora", "Sindre L.")
WORSE_AGENT_ANSWERS = 50
WORSE_AGENT_GAP = 30.0
#: The agent who is only unlucky: this few valid answers drawn at random from their team's, redrawn until
#: their share satisfied happens to be at least UNLUCKY_AGENT_GAP points below the team's (chance alone).
UNLUCKY_AGENT = ("Team Fjell", "Mari K.")
UNLUCKY_AGENT_ANSWERS = 7
UNLUCKY_AGENT_GAP = 30.0
#: ASAT (% of a team's agents satisfied) in a quarter = intercept + slope x (team's CSAT that quarter - 65)
#: + normal noise, rounded to one decimal.
ASAT_INTERCEPT = 72.0
ASAT_SLOPE = 0.6
ASAT_NOISE_SD = 2.0


def _teams_and_agents(out_dir: pathlib.Path, seed: int, trx: dict, trx_valid: np.ndarray) -> dict[str, Any]:
    """Give each after-support answer a team (by touchpoint) and an agent with a generator of their own, plant
    a truly worse and an unlucky agent, write the agent-satisfaction file, and return the two columns for the
    workbook (``team``, ``agent``: blank outside the support rows) with the planted and realised truths."""
    rng = np.random.default_rng([seed, 22, 3])
    n = len(trx["ts"])
    team = np.full(n, None, dtype=object)
    agent = np.full(n, None, dtype=object)
    satisfied = trx["csat"] >= 4
    touchpoints = np.array(TOUCHPOINTS, dtype=object)[trx["touchpoint"]]
    support_centre = np.flatnonzero(trx["support"] & (touchpoints == "Support centre"))
    split = rng.random(len(support_centre)) < 0.5
    for name, (touchpoint, _names) in SUPPORT_TEAMS.items():
        rows = np.flatnonzero(trx["support"] & (touchpoints == touchpoint))
        if touchpoint == "Support centre":
            rows = support_centre[split] if name == "Team Aurora" else support_centre[~split]
        team[rows] = name
    team_share = {name: 100 * float(satisfied[(team == name) & trx_valid].mean()) for name in SUPPORT_TEAMS}

    def free(name: str) -> np.ndarray:
        return np.flatnonzero((team == name) & pd.isna(agent) & trx_valid)

    worse_team, worse = WORSE_AGENT
    target = (team_share[worse_team] - WORSE_AGENT_GAP) / 100
    unhappy = round(WORSE_AGENT_ANSWERS * (1 - target))
    pool = free(worse_team)
    chosen = [
        rng.choice(pool[~satisfied[pool]], size=unhappy, replace=False),
        rng.choice(pool[satisfied[pool]], size=WORSE_AGENT_ANSWERS - unhappy, replace=False),
    ]
    agent[np.concatenate(chosen)] = worse
    unlucky_team, unlucky = UNLUCKY_AGENT
    pool = free(unlucky_team)
    draws = 0
    while True:
        draws += 1
        rows = rng.choice(pool, size=UNLUCKY_AGENT_ANSWERS, replace=False)
        if 100 * satisfied[rows].mean() <= team_share[unlucky_team] - UNLUCKY_AGENT_GAP:
            break
    agent[rows] = unlucky
    for name, (_touchpoint, names) in SUPPORT_TEAMS.items():
        rest = np.flatnonzero((team == name) & pd.isna(agent))
        others = [a for a in names if (name, a) not in (WORSE_AGENT, UNLUCKY_AGENT)]
        agent[rest] = np.array(others, dtype=object)[rng.integers(0, len(others), size=len(rest))]

    asat_rows, pairs = [], []
    for name, (_touchpoint, names) in SUPPORT_TEAMS.items():
        for q, quarter in enumerate(QUARTERS):
            rows = (team == name) & trx_valid & (trx["quarter"] == q)
            csat = 100 * float(satisfied[rows].mean())
            asat = round(ASAT_INTERCEPT + ASAT_SLOPE * (csat - 65) + ASAT_NOISE_SD * rng.standard_normal(), 1)
            answering = len(names) - int(rng.integers(0, 2))
            asat_rows.append((name, quarter, asat, answering))
            pairs.append((csat, asat))
    pd.DataFrame(asat_rows, columns=list(ASAT_COLUMNS)).to_csv(
        out_dir / ASAT_FILE, index=False, encoding="utf-8", lineterminator="\n"
    )
    x, y = np.array(pairs).T
    valid_agents = pd.DataFrame({"team": team, "agent": agent, "satisfied": satisfied})[trx_valid & pd.notna(team)]
    per_agent = valid_agents.groupby(["team", "agent"])["satisfied"].agg(["size", "mean"])

    def realised(key: tuple[str, str]) -> dict[str, Any]:
        size, share = per_agent.loc[key]
        return {"answers": int(size), "csat": _r(100 * share, 4), "team_csat": _r(team_share[key[0]], 4)}

    return {
        "team": team.tolist(),
        "agent": agent.tolist(),
        "file": ASAT_FILE,
        "columns": list(ASAT_COLUMNS),
        "rows": len(asat_rows),
        "workbook_columns": ["Team", "Agent"],
        "teams": {name: {"touchpoint": tp, "agents": list(names)} for name, (tp, names) in SUPPORT_TEAMS.items()},
        "assignment": "after_support answers only; the support centre's answers split at random between Team "
        "Aurora and Team Fjell, Returns to Returns desk, Social media to Social care; every other answer of a "
        "team goes to one of its other agents at random",
        "worse_agent": {
            "team": WORSE_AGENT[0],
            "agent": WORSE_AGENT[1],
            "planted_gap_points": WORSE_AGENT_GAP,
            "how": "the agent's valid answers are chosen from the team's with a share satisfied (CSAT 4-5) "
            "planted_gap_points below the team's",
            "expected": "stands out below the team mean after shrinkage",
            "realised": realised(WORSE_AGENT),
        },
        "unlucky_agent": {
            "team": UNLUCKY_AGENT[0],
            "agent": UNLUCKY_AGENT[1],
            "true_gap_points": 0.0,
            "how": f"{UNLUCKY_AGENT_ANSWERS} valid answers drawn at random from the team's, redrawn until their "
            f"share satisfied happened to be at least {UNLUCKY_AGENT_GAP:g} points below the team's",
            "draws": draws,
            "expected": "lowest raw CSAT of the team, but does not stand out after shrinkage",
            "realised": realised(UNLUCKY_AGENT),
        },
        "no_difference": "every other agent's answers are a random share of their team's: no true difference",
        "asat": {
            "model": "asat = intercept + slope x (team CSAT share in the quarter, % - 65) + normal noise (sd)",
            "intercept": ASAT_INTERCEPT,
            "slope": ASAT_SLOPE,
            "noise_sd": ASAT_NOISE_SD,
            "realised_slope": _r(float(np.polyfit(x, y, 1)[0]), 4),
            "team_periods": len(pairs),
        },
    }


# --------------------------------------------------------------------------
# truth.yml
# --------------------------------------------------------------------------


class _TruthDumper(yaml.SafeDumper):
    """Plain YAML without anchors, so every value is spelled out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _weighting_truth(rel: dict, trx: dict, rel_valid: np.ndarray, trx_valid: np.ndarray, cust: dict) -> dict[str, Any]:
    """The population margins, and the shares of the valid responses that miss them."""
    region = np.concatenate([rel["region"][rel_valid], trx["region"][trx_valid]])
    ctype = cust["type"][np.concatenate([rel["who"][rel_valid], trx["who"][trx_valid]])]
    realised = {
        "region": {r: _r(float(np.mean(region == i)), 4) for i, r in enumerate(REGIONS)},
        "customer_type": {t: _r(float(np.mean(ctype == i)), 4) for i, t in enumerate(CUSTOMER_TYPES)},
    }
    return {
        "config_key": "weighting.margins in client.yml",
        "margins": {column: dict(shares) for column, shares in POPULATION_MARGINS.items()},
        "missed_margin": {
            "column": "customer_type",
            "level": "New",
            "population_share": POPULATION_MARGINS["customer_type"]["New"],
            "response_share": float(CUSTOMER_TYPE_SHARES[CUSTOMER_TYPES.index("New")]),
        },
        "generating_response_shares": {
            "region": {r: float(s) for r, s in zip(REGIONS, REGION_SHARES)},
            "customer_type": {t: float(s) for t, s in zip(CUSTOMER_TYPES, CUSTOMER_TYPE_SHARES)},
        },
        "realised_response_shares": realised,
        "raked_shares": "equal to the margins in every survey and quarter (to 1e-6)",
        "effect_on_scores": "none expected beyond noise: the generating model ignores customer type, and the "
        "region margins are the shares the responses are drawn with",
    }


def _truth(**k: Any) -> dict[str, Any]:
    rel, trx, tic, cust = k["rel"], k["trx"], k["tic"], k["cust"]
    rel_valid, trx_valid = k["rel_valid"], k["trx_valid"]
    profiles, probs = k["profiles"], k["profile_probs"]
    counts = k["counts"]
    handling_shift, effort_shift, ces_shift = k["shifts"]
    rel_quarter = _quarter_index(rel["ts"])
    nord = REGIONS.index("Nord")

    # ---------------- files
    files = {
        RELATIONAL_FILE: {
            "rows": counts[RELATIONAL_FILE],
            "expected_valid": int(rel_valid.sum()),
            "expected_quarantined": int((~rel_valid).sum()),
            "format": "csv",
            "delimiter": ";",
            "encoding": "utf-8-sig",
            "line_terminator": "CRLF",
            "date_format": "%d.%m.%Y %H:%M",
            "id_column": "Respondent ID",
            "columns": list(RELATIONAL_COLUMNS),
            "rows_per_quarter": dict(zip(QUARTERS, RELATIONAL_PER_QUARTER)),
        },
        TRANSACTIONAL_FILE: {
            "rows": counts[TRANSACTIONAL_FILE],
            "expected_valid": int(trx_valid.sum()),
            "expected_quarantined": int((~trx_valid).sum()),
            "format": "xlsx",
            "sheet": TRANSACTIONAL_SHEET,
            "id_column": "ResponseID",
            "columns": list(TRANSACTIONAL_COLUMNS),
            "rows_per_quarter": dict(zip(QUARTERS, TRANSACTIONAL_PER_QUARTER)),
        },
        CUSTOMERS_FILE: {
            "rows": counts[CUSTOMERS_FILE],
            "expected_valid": counts[CUSTOMERS_FILE],
            "expected_quarantined": 0,
            "format": "csv",
            "delimiter": ",",
            "encoding": "utf-8",
            "id_column": "customer_id",
            "columns": ["customer_id", "region", "customer_type", "annual_revenue", "churned_next_period", "period"],
        },
        TICKETS_FILE: {
            "rows": counts[TICKETS_FILE],
            "expected_valid": counts[TICKETS_FILE],
            "expected_quarantined": 0,
            "format": "csv",
            "delimiter": ",",
            "encoding": "utf-8",
            "date_format": "ISO 8601, local time without offset",
            "id_column": "ticket_id",
            "columns": list(TICKET_COLUMNS),
            "rows_per_quarter": dict(zip(QUARTERS, TICKETS_PER_QUARTER)),
        },
    }

    # ---------------- drivers
    # Marginal rating distributions: latent is N(mean_attribute, 1) because 0.6^2 + 0.8^2 = 1.
    rating_probs = [_ordinal_probs(m, RATING_THRESHOLDS) for m in ATTRIBUTE_LATENT_MEANS]
    order = np.argsort(-DRIVER_COEFFICIENTS, kind="stable")
    # Performance (top-two-box share) and importance (Johnson's relative weights).
    top2 = np.array([ATTRIBUTE_TOP2[a] for a in ATTRIBUTES])
    true_weights = _true_relative_weights(profiles, probs, k["nord_shift"])
    true_share = 100 * true_weights / true_weights.sum()
    answered = rel_valid[:, None] & ~rel["rating_missing"]
    realised_top2 = ((rel["ratings"] >= 4) & answered).sum(axis=0) / answered.sum(axis=0)
    complete_rows = rel_valid & ~rel["rating_missing"].any(axis=1)
    corr = np.corrcoef(np.column_stack([rel["score"][complete_rows], rel["ratings"][complete_rows]]), rowvar=False)
    realised_weights = weights_from_correlations(corr)
    realised_share = 100 * realised_weights / realised_weights.sum()
    by_top2 = np.argsort(-top2, kind="stable")
    # Ordinary least squares on the valid rows with all six ratings answered.
    complete = rel_valid & ~rel["rating_missing"].any(axis=1)
    design = np.column_stack([np.ones(complete.sum()), rel["ratings"][complete]])
    ols = np.linalg.lstsq(design, rel["score"][complete].astype(float), rcond=None)[0]
    csat_mu_support = {t: _csat_latent_mean(CSAT_TOP2[t]) for t in SUPPORT_TOUCHPOINTS}
    drivers = {
        "outcome": NPS_COLUMN,
        "model": (
            "score = round(clip(intercept + sum(coefficient * rating) + region_shift + channel_shift"
            " + noise_sd * N(0,1), 0, 10)); each rating = ordered category of latent_mean_attribute"
            " + loading_shared * S + loading_specific * e_attribute, S shared satisfaction factor"
        ),
        "intercept": DRIVER_INTERCEPT,
        "coefficients": {ATTRIBUTES[j]: float(DRIVER_COEFFICIENTS[j]) for j in order},
        "noise_sd": DRIVER_NOISE_SD,
        "expected_ranking": [ATTRIBUTES[j] for j in order],
        "realised_ols": {
            "rows": int(complete.sum()),
            "intercept": _r(ols[0], 3),
            "coefficients": {ATTRIBUTES[j]: _r(ols[1 + j], 3) for j in np.argsort(-ols[1:], kind="stable")},
            "note": "attenuated by the clipping at 0 and 10; the ranking is what matters",
        },
        "tiers": {
            "strong": ["Troubleshooting", "Responsiveness"],
            "medium": ["Service quality", "Accessibility"],
            "weak": ["Engagement", "Personalisation"],
        },
        "rating_latent": {
            "loading_shared": LOADING_SHARED,
            "loading_specific": LOADING_SPECIFIC,
            "latent_correlation_between_attributes": _r(LOADING_SHARED**2),
            "thresholds": RATING_THRESHOLDS.tolist(),
            "latent_mean": {a: _r(m, 6) for a, m in zip(ATTRIBUTES, ATTRIBUTE_LATENT_MEANS)},
            "latent_mean_rule": "ndtri(generating top-two-box share) + thresholds[2], so P(rating >= 4) is exact",
            "rating_probabilities": {
                a: {i + 1: _r(p) for i, p in enumerate(pr)} for a, pr in zip(ATTRIBUTES, rating_probs)
            },
            "rating_mean": {a: _r(np.arange(1, 6) @ pr) for a, pr in zip(ATTRIBUTES, rating_probs)},
        },
        "performance": {
            "metric": "share of answers rating 4-5 (top-two box), per attribute",
            "generating_top2box": {ATTRIBUTES[j]: float(top2[j]) for j in by_top2},
            "generating_mean_top2box": _r(top2.mean()),
            "realised_top2box": {ATTRIBUTES[j]: _r(realised_top2[j], 3) for j in by_top2},
            "realised_n": {a: int(n) for a, n in zip(ATTRIBUTES, answered.sum(axis=0))},
        },
        "importance": {
            "metric": "Johnson's relative weight on the 0-10 score, percent of R-squared",
            "true_share": {ATTRIBUTES[j]: _r(true_share[j], 2) for j in np.argsort(-true_share, kind="stable")},
            "true_r_squared": _r(true_weights.sum()),
            "realised_share": {
                ATTRIBUTES[j]: _r(realised_share[j], 2) for j in np.argsort(-realised_share, kind="stable")
            },
            "realised_r_squared": _r(realised_weights.sum(), 3),
            "realised_rows": int(complete_rows.sum()),
        },
        "quadrants": {
            "rule": "important = relative-weight share >= mean share (100 / 6); strong = top-two-box share"
            " >= mean top-two-box share (cxanalysis.drivers.importance_performance)",
            "expected": dict(zip(ATTRIBUTES, _quadrants(true_share, top2))),
        },
        "rating_missing_share": RATING_MISSING_SHARE,
        "region_shift": {"Nord": _r(k["nord_shift"], 6), "other regions": 0.0},
        "channel_shift": {c: float(s) for c, s in zip(SURVEY_CHANNELS, SURVEY_CHANNEL_SHIFT)},
        "would_buy_again": {
            "model": "P(Yes) = 1 / (1 + exp(-(a + b * score)))",
            "a": BUY_AGAIN_LOGIT[0],
            "b": BUY_AGAIN_LOGIT[1],
        },
        "after_support_csat": {
            "description": (
                "CSAT and CES in after_support rows share a handling-experience factor H"
                " (how quickly and easily the issue was handled); CSAT is driven mostly by H"
            ),
            "csat_latent": "mu_touchpoint + 0.8 * H + 0.6 * e1",
            "ces_latent": "nu_touchpoint + 0.9 * H + 0.4359 * e2",
            "handling_loading_csat": HANDLING_ON_CSAT,
            "handling_loading_ces": HANDLING_ON_CES,
            "share_of_csat_latent_variance_from_handling": _r(HANDLING_ON_CSAT**2),
            "latent_correlation_csat_ces": _r(HANDLING_ON_CSAT * HANDLING_ON_CES),
            "realised_spearman_csat_ces": _r(
                pd.Series(trx["csat"][trx["support"] & trx_valid]).corr(
                    pd.Series(trx["ces"][trx["support"] & trx_valid]), method="spearman"
                ),
                3,
            ),
            "csat_latent_mean": {t: _r(v) for t, v in csat_mu_support.items()},
            "ces_latent_mean": dict(CES_LATENT_MEAN),
        },
    }

    # ---------------- transactional baseline per touchpoint
    baseline = {}
    for t in TOUCHPOINTS:
        mu = _csat_latent_mean(CSAT_TOP2[t])
        cell = {
            "survey": "after_support" if t in SUPPORT_TOUCHPOINTS else "after_purchase",
            "csat_top2box": CSAT_TOP2[t],
            "csat_latent_mean": _r(mu),
            "csat_probabilities": {i + 1: _r(p) for i, p in enumerate(_ordinal_probs(mu, CSAT_CUTS))},
            "csat_mean": _r(_ordinal_mean(mu, CSAT_CUTS)),
        }
        if t in CES_LATENT_MEAN:
            nu = CES_LATENT_MEAN[t]
            cell["ces_mean"] = _r(_ordinal_mean(nu, CES_CUTS))
            cell["ces_probabilities"] = {i + 1: _r(p) for i, p in enumerate(_ordinal_probs(nu, CES_CUTS))}
        baseline[t] = cell

    # ---------------- touchpoint drop
    tp = trx["touchpoint"]
    delivery = (tp == TOUCHPOINTS.index(DROP_TOUCHPOINT)) & trx_valid
    mu_drop = _csat_latent_mean(DROP_TOP2)
    realised_t2b, realised_n = {}, {}
    for q, label in enumerate(QUARTERS):
        sel = delivery & (trx["quarter"] == q)
        realised_n[label] = int(sel.sum())
        realised_t2b[label] = _r(np.mean(trx["csat"][sel] >= 4), 3)
    touchpoint_drop = {
        "file": TRANSACTIONAL_FILE,
        "survey": "after_purchase",
        "touchpoint": DROP_TOUCHPOINT,
        "quarter": DROP_QUARTER,
        "metric": "CSAT top-two-box share (4-5)",
        "generating_top2box": {q: (DROP_TOP2 if q == DROP_QUARTER else CSAT_TOP2[DROP_TOUCHPOINT]) for q in QUARTERS},
        "csat_probabilities": {
            "normal_quarters": baseline[DROP_TOUCHPOINT]["csat_probabilities"],
            DROP_QUARTER: {i + 1: _r(p) for i, p in enumerate(_ordinal_probs(mu_drop, CSAT_CUTS))},
        },
        "realised_top2box": realised_t2b,
        "realised_n": realised_n,
        "other_touchpoints": "no change over time",
    }

    # ---------------- regional difference
    other = _true_group(profiles, probs, 0.0)
    nord_truth = _true_group(profiles, probs, k["nord_shift"])
    true_by_region = {r: (nord_truth if i == nord else other) for i, r in enumerate(REGIONS)}
    region_shares = REGION_SHARES
    overall_nps = float(sum(region_shares[i] * true_by_region[r]["nps"] for i, r in enumerate(REGIONS)))
    valid_scores = rel["score"][rel_valid]
    valid_region = rel["region"][rel_valid]
    valid_quarter = rel_quarter[rel_valid]
    realised_region = {r: _r(_nps(valid_scores[valid_region == i]), 2) for i, r in enumerate(REGIONS)}
    realised_by_quarter = {}
    for q, label in enumerate(QUARTERS):
        in_q = valid_quarter == q
        realised_by_quarter[label] = {
            "Nord": _r(_nps(valid_scores[in_q & (valid_region == nord)]), 2),
            "other regions": _r(_nps(valid_scores[in_q & (valid_region != nord)]), 2),
        }
    regional_difference = {
        "file": RELATIONAL_FILE,
        "region": "Nord",
        "gap_nps_points": NPS_GAP_NORD,
        "every_quarter": True,
        "mechanism": (
            "additive shift of the latent 0-10 score in Nord, not explained by the six attribute"
            " ratings (their distribution is the same in every region)"
        ),
        "latent_shift": _r(k["nord_shift"], 6),
        "true": {
            r: {"nps": _r(v["nps"], 2), "promoter_share": _r(v["promoter"]), "detractor_share": _r(v["detractor"])}
            for r, v in true_by_region.items()
        },
        "true_overall_nps": _r(overall_nps, 2),
        "realised_nps": realised_region,
        "realised_nps_by_quarter": realised_by_quarter,
        "realised_n": {r: int((valid_region == i).sum()) for i, r in enumerate(REGIONS)},
    }

    # ---------------- no difference
    rel_type = cust["type"][rel["who"]][rel_valid]
    rel_channel = rel["channel"][rel_valid]
    other_ch = other["by_channel"]
    no_difference = {
        "customer_type": {
            "file": RELATIONAL_FILE,
            "column": "Customer type",
            "values": list(CUSTOMER_TYPES),
            "true_difference": 0.0,
            "note": "the generating model ignores customer type; New and Returning have identical "
            "distributions in every file and metric",
            "realised_nps": {t: _r(_nps(valid_scores[rel_type == i]), 2) for i, t in enumerate(CUSTOMER_TYPES)},
            "realised_n": {t: int((rel_type == i).sum()) for i, t in enumerate(CUSTOMER_TYPES)},
        },
        "survey_channel": {
            "file": RELATIONAL_FILE,
            "column": "Survey channel",
            "values": ["E-mail", "SMS"],
            "true_difference": 0.0,
            "note": "E-mail and SMS have the same latent shift (0); Phone interview is +0.3 on the "
            "latent scale (interviewer effect) and really differs",
            "true_nps_outside_nord": {c: _r(v, 2) for c, v in other_ch.items()},
            "realised_nps": {c: _r(_nps(valid_scores[rel_channel == i]), 2) for i, c in enumerate(SURVEY_CHANNELS)},
            "realised_n": {c: int((rel_channel == i).sum()) for i, c in enumerate(SURVEY_CHANNELS)},
        },
    }

    # ---------------- intervention
    sc = (tp == TOUCHPOINTS.index(INTERVENTION_TOUCHPOINT)) & trx_valid
    post = trx["ts"] >= np.datetime64(INTERVENTION_START, "s")
    realised = {}
    for i, r in enumerate(REGIONS):
        cell = sc & (trx["region"] == i)
        realised[r] = {
            "ces_mean_before": _r(np.mean(trx["ces"][cell & ~post]), 3),
            "ces_mean_after": _r(np.mean(trx["ces"][cell & post]), 3),
            "csat_top2box_before": _r(np.mean(trx["csat"][cell & ~post] >= 4), 3),
            "csat_top2box_after": _r(np.mean(trx["csat"][cell & post] >= 4), 3),
            "n_before": int((cell & ~post).sum()),
            "n_after": int((cell & post).sum()),
        }
    nu = CES_LATENT_MEAN[INTERVENTION_TOUCHPOINT]
    top_before = CSAT_TOP2[INTERVENTION_TOUCHPOINT]
    tic_sc = tic["touchpoint"] == list(TICKET_TOUCHPOINTS).index(INTERVENTION_TOUCHPOINT)
    tic_post = tic["ts"] >= np.datetime64(INTERVENTION_START, "s")
    tic_vest = tic["region"] == REGIONS.index(INTERVENTION_REGION)
    intervention = {
        "file": TRANSACTIONAL_FILE,
        "survey": "after_support",
        "region": INTERVENTION_REGION,
        "touchpoint": INTERVENTION_TOUCHPOINT,
        "start_date": INTERVENTION_START,
        "treated_quarters": ["2025Q3", "2025Q4"],
        "ces_mean": {
            "before": _r(_ordinal_mean(nu, CES_CUTS)),
            "after": _r(_ordinal_mean(nu + ces_shift, CES_CUTS)),
            "effect": INTERVENTION_CES_EFFECT,
        },
        "csat_top2box": {
            "before": top_before,
            "after": _r(top_before + INTERVENTION_TOP2_EFFECT),
            "effect_percentage_points": _r(100 * INTERVENTION_TOP2_EFFECT, 2),
        },
        "latent_shifts": {
            "handling_factor": _r(handling_shift, 6),
            "ces_effort_specific": _r(effort_shift, 6),
            "ces_total": _r(ces_shift, 6),
            "csat_total": _r(HANDLING_ON_CSAT * handling_shift, 6),
        },
        "control_cells": "every other region x touchpoint cell is constant over the year "
        "(apart from the separate Delivery drop in 2025Q3)",
        "realised_support_centre": realised,
        "tickets": {
            "file": TICKETS_FILE,
            "note": "first_response_hours in the same cell (Vest, Support centre, from the start date) "
            "is generated with half the median",
            "median_multiplier": INTERVENTION_RESPONSE_FACTOR,
            "realised_median_hours_before": _r(np.median(tic["hours"][tic_sc & tic_vest & ~tic_post]), 2),
            "realised_median_hours_after": _r(np.median(tic["hours"][tic_sc & tic_vest & tic_post]), 2),
        },
    }

    # ---------------- themes
    lang_counts = np.bincount(cust["lang"], minlength=len(LANGUAGES))
    themes = {
        "themes": list(THEMES),
        "languages": list(LANGUAGES),
        "language_shares": {lang: float(s) for lang, s in zip(LANGUAGES, LANGUAGE_SHARES)},
        "language_blank_share": LANGUAGE_BLANK_SHARE,
        "language_note": "language is a customer attribute; comments are written in it even when "
        "the Language cell is blank",
        "realised_customers_per_language": {lang: int(c) for lang, c in zip(LANGUAGES, lang_counts)},
        "score_groups": {
            RELATIONAL_FILE: {"negative": "NPS 0-6", "passive": "NPS 7-8", "positive": "NPS 9-10"},
            TRANSACTIONAL_FILE: {"negative": "CSAT 1-2", "passive": "CSAT 3", "positive": "CSAT 4-5"},
        },
        "comment_probability": {
            RELATIONAL_FILE: dict(COMMENT_PROB_RELATIONAL),
            TRANSACTIONAL_FILE: dict(COMMENT_PROB_TRANSACTIONAL),
        },
        "theme_probabilities": {g: {t: p for t, p in zip(THEMES, THEME_PROBS[g])} for g in SCORE_GROUPS},
        "tendency": {
            "negative": ["delivery", "response_time", "price"],
            "positive": ["staff_friendliness", "competence"],
        },
        "transactional_touchpoint_weight": TOUCHPOINT_THEME_WEIGHT,
        "transactional_touchpoint_themes": {t: dict(v) for t, v in TOUCHPOINT_THEMES.items()},
        "second_sentence_share": SECOND_SENTENCE_SHARE,
        "tone": "negative comments complain, positive praise, passive open with 'mostly fine, but' "
        "and a complaint (a second sentence, if any, praises)",
        "realised_mentions": {
            RELATIONAL_FILE: _theme_counts(rel["group"], rel["theme1"], rel["theme2"]),
            TRANSACTIONAL_FILE: _theme_counts(trx["group"], trx["theme1"], trx["theme2"]),
        },
        "realised_comments": {
            RELATIONAL_FILE: int((rel["theme1"] >= 0).sum()),
            TRANSACTIONAL_FILE: int((trx["theme1"] >= 0).sum()),
        },
    }

    # ---------------- privacy
    plants = k["plants"]
    privacy = {
        "pii": [p for p in plants if p["kind"] in ("email", "phone")],
        "script": [p for p in plants if p["kind"] == "script"],
        "note": "no other comment contains an e-mail address, a phone number or markup",
    }

    # ---------------- bad rows
    bad_rows = []
    for file, bad, ids in (
        (RELATIONAL_FILE, k["rel_bad"], k["rel_ids"]),
        (TRANSACTIONAL_FILE, k["trx_bad"], k["trx_ids"]),
    ):
        for pos, reason, column, detail in sorted(bad):
            row_id = str(ids[pos]) if file == RELATIONAL_FILE else int(ids[pos])
            bad_rows.append(
                {
                    "file": file,
                    "id": row_id,
                    "data_row": int(pos) + 1,
                    "reason": reason,
                    "column": column,
                    "detail": detail,
                }
            )

    # ---------------- churn
    dissatisfied, churned = k["dissatisfied"], k["churned"]
    churn = {
        "file": CUSTOMERS_FILE,
        "column": "churned_next_period",
        "period": CHURN_PERIOD,
        "meaning": f"1 = the customer made no purchase in the quarter after {CHURN_PERIOD}",
        "dissatisfied_definition": (
            "at least one valid relational NPS answer 0-6 or at least one valid transactional CSAT 1-3 "
            "(quarantined rows do not count)"
        ),
        "probability": {"dissatisfied": CHURN_PROB_DISSATISFIED, "other": CHURN_PROB_OTHER},
        "realised": {
            "dissatisfied_customers": int(dissatisfied.sum()),
            "other_customers": int((~dissatisfied).sum()),
            "churn_rate_dissatisfied": _r(churned[dissatisfied].mean(), 3),
            "churn_rate_other": _r(churned[~dissatisfied].mean(), 3),
        },
        "revenue": {
            "distribution": "lognormal",
            "median_nok": REVENUE_MEDIAN_NOK,
            "log_sd": REVENUE_LOG_SD,
            "realised_median_nok": _r(np.median(cust["revenue"]), 1),
        },
    }

    tickets = {
        "file": TICKETS_FILE,
        "first_response_median_hours_by_channel": dict(FIRST_RESPONSE_MEDIAN_HOURS),
        "first_response_log_sd": FIRST_RESPONSE_LOG_SD,
        "realised_median_first_response_hours": _r(np.median(tic["hours"]), 2),
        "complaint_probability": dict(COMPLAINT_PROB),
        "touchpoint_shares": dict(TICKET_TOUCHPOINTS),
    }

    return {
        "client": {"name": CLIENT_NAME, "slug": CLIENT_SLUG},
        "seed": int(k["seed"]),
        "generator": "cxanalysis.sample.generate_sample (command: cxanalysis sample)",
        "synthetic": True,
        "period": {"start": "2025-01-01", "end": "2025-12-31", "quarters": list(QUARTERS)},
        "files": files,
        "drivers": drivers,
        "transactional_baseline": baseline,
        "touchpoint_drop": touchpoint_drop,
        "regional_difference": regional_difference,
        "no_difference": no_difference,
        "intervention": intervention,
        "themes": themes,
        "privacy_plants": privacy,
        "bad_rows": bad_rows,
        "churn": churn,
        "tickets": tickets,
    }

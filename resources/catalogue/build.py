"""Build resources/catalogue/catalogue.json from the shared reference draft.

    python resources/catalogue/build.py REFERENCE.json OUT.json     (or: make catalogue)

    python resources/catalogue/build.py REFERENCE.json OUT.json --addendum ADDENDUM.json

A development tool, not run by the app. It keeps high- and medium-confidence
records only, resolves every party name to an ISO 3166 alpha-3 code or an
organisation code *exactly* (an unknown name stops the build: fuzzy matching
turned "Republic of Korea" into North Korea), maps the reference's topic words
onto the internal theme list, and adds the editorial mappings from internal
themes to the external schemes, marked ``editorial``. Every record keeps its
sources and confidence. The output is deterministic: the same input gives the
same bytes, so a catalogue change shows as a readable diff.

An addendum (``addendum.py``) brings corrections, every party's treaty acts under
ICSANT, the CPPNM and its amendment with the dated party counts, more joint
statements with their lists, conferences, and the dated targets an audit verified.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import addendum as adding
import pycountry

CATALOGUE_FORMAT = 1
CATALOGUE_VERSION = "2026.12.2"
CATALOGUE_AS_OF = "2026-12"
KEPT = ("high", "medium")

# Names used in the reference that ISO's exact lookup does not know.
STATE_ALIASES = {
    "Republic of Korea": "KOR",
    "Russia": "RUS",
    "Vietnam": "VNM",
    "Czech Republic": "CZE",
    "Turkey": "TUR",
    "United States": "USA",
    "Iran": "IRN",
}

ORGANISATIONS = {
    # code: (name, names used for it in the reference)
    "IAEA": ("International Atomic Energy Agency", ["IAEA"]),
    "UN": ("United Nations", ["United Nations", "UN"]),
    "EU": ("European Union", ["European Union", "EU"]),
    "EURATOM": ("European Atomic Energy Community (Euratom)", ["Euratom", "EURATOM"]),
    "INTERPOL": ("International Criminal Police Organization (INTERPOL)", ["INTERPOL"]),
    "UNODC": ("United Nations Office on Drugs and Crime", ["UNODC"]),
    "UNICRI": ("United Nations Interregional Crime and Justice Research Institute", ["UNICRI"]),
}

THEMES = [
    ("heu_pu_minimization", "HEU and plutonium minimisation"),
    ("reactor_conversion_and_material_removal", "Reactor conversion and material removal"),
    ("cppnm_cppnma_adherence", "CPPNM and its 2005 amendment"),
    ("icsant_adherence", "ICSANT"),
    ("unscr_1540_implementation", "UNSCR 1540 implementation"),
    ("iaea_nsf_contributions", "IAEA Nuclear Security Fund"),
    ("ippas_and_peer_review", "IPPAS and peer review"),
    ("iaea_guidance_implementation_infcirc225_869", "IAEA guidance (INFCIRC/225, INFCIRC/869)"),
    ("centres_of_excellence_nssc", "Centres of excellence and support centres"),
    ("education_training_competence", "Education, training and competence"),
    ("detection_architecture", "Detection architecture"),
    ("nuclear_forensics", "Nuclear forensics"),
    ("counter_smuggling", "Countering nuclear smuggling"),
    ("radioactive_source_security", "Radioactive source security"),
    ("transport_security", "Transport security"),
    ("maritime_supply_chain", "Maritime and supply-chain security"),
    ("information_security", "Information security"),
    ("computer_cyber_security", "Computer and cyber security"),
    ("insider_threat", "Insider threat mitigation"),
    ("security_culture", "Nuclear security culture"),
    ("legislation_regulation", "Legislation and regulation"),
    ("regulatory_independence", "Regulatory independence"),
    ("safety_security_interface", "Safety–security interface"),
    ("international_cooperation_assistance", "International cooperation and assistance"),
    ("reporting_transparency", "Reporting and transparency"),
    ("architecture_follow_up_nscg", "Architecture and follow-up (NSCG)"),
]

# The reference's topic words (on gift baskets and example commitments) → internal themes.
TOPIC_TO_THEMES: dict[str, list[str]] = {
    "education_training": ["education_training_competence"],
    "centres_of_excellence": ["centres_of_excellence_nssc"],
    "heu_minimization": ["heu_pu_minimization"],
    "heu_pu_minimization": ["heu_pu_minimization"],
    "medical_isotopes": ["heu_pu_minimization"],
    "reactor_conversion": ["reactor_conversion_and_material_removal"],
    "high_density_leu_fuel": ["reactor_conversion_and_material_removal"],
    "counter_smuggling": ["counter_smuggling"],
    "detection": ["detection_architecture"],
    "detection_architecture": ["detection_architecture"],
    "forensics": ["nuclear_forensics"],
    "nuclear_forensics": ["nuclear_forensics"],
    "legislation": ["legislation_regulation"],
    "governance": ["legislation_regulation"],
    "information_security": ["information_security"],
    "physical_protection": ["iaea_guidance_implementation_infcirc225_869"],
    "response": ["international_cooperation_assistance"],
    "international_cooperation": ["international_cooperation_assistance"],
    "radioactive_sources": ["radioactive_source_security"],
    "lifecycle_management": ["radioactive_source_security"],
    "alternative_technologies": ["radioactive_source_security"],
    "transport_security": ["transport_security"],
    "maritime": ["maritime_supply_chain"],
    "iaea_guidance": ["iaea_guidance_implementation_infcirc225_869"],
    "peer_review": ["ippas_and_peer_review"],
    "ippas": ["ippas_and_peer_review"],
    "competence": ["education_training_competence"],
    "regulatory_independence": ["regulatory_independence"],
    "architecture": ["architecture_follow_up_nscg"],
    "sustainability": ["architecture_follow_up_nscg"],
    "follow_up": ["architecture_follow_up_nscg"],
    "reporting": ["reporting_transparency"],
    "transparency": ["reporting_transparency"],
    "insider_threat": ["insider_threat"],
    "nmac": ["insider_threat"],
    "security_culture": ["security_culture"],
    "cyber": ["computer_cyber_security"],
    "cyber_security": ["computer_cyber_security"],
    "export_controls": ["unscr_1540_implementation"],
    "iaea_nsf_contributions": ["iaea_nsf_contributions"],
    "treaty_adherence": ["cppnm_cppnma_adherence", "icsant_adherence"],
    "icsant_adherence": ["icsant_adherence"],
    "icsant": ["icsant_adherence"],
    "cppnm_a": ["cppnm_cppnma_adherence"],
    "pu_minimization": ["heu_pu_minimization"],
    "disarmament_linkage": [],
    "military_materials": [],
}

# Editorial: which areas of each external scheme an internal theme reports under.
SCHEME_MAPPINGS: dict[str, dict[str, list[str]]] = {
    "seoul_communique_2012": {
        "global_nuclear_security_architecture": [
            "cppnm_cppnma_adherence",
            "icsant_adherence",
            "unscr_1540_implementation",
            "legislation_regulation",
            "reporting_transparency",
            "architecture_follow_up_nscg",
        ],
        "role_of_the_iaea": [
            "iaea_nsf_contributions",
            "ippas_and_peer_review",
            "iaea_guidance_implementation_infcirc225_869",
        ],
        "nuclear_materials": ["heu_pu_minimization", "reactor_conversion_and_material_removal"],
        "radioactive_sources": ["radioactive_source_security"],
        "nuclear_security_and_safety": ["safety_security_interface", "regulatory_independence"],
        "transportation_security": ["transport_security", "maritime_supply_chain"],
        "combating_illicit_trafficking": ["counter_smuggling", "detection_architecture"],
        "nuclear_forensics": ["nuclear_forensics"],
        "nuclear_security_culture": [
            "security_culture",
            "insider_threat",
            "education_training_competence",
        ],
        "information_security": ["information_security", "computer_cyber_security"],
        "international_cooperation": [
            "international_cooperation_assistance",
            "centres_of_excellence_nssc",
        ],
    },
    "washington_work_plan_2010": {
        "icsant": ["icsant_adherence"],
        "cppnm_and_amendment": ["cppnm_cppnma_adherence"],
        "unscr_1540": ["unscr_1540_implementation", "legislation_regulation"],
        "iaea_role_and_nsf": ["iaea_nsf_contributions", "ippas_and_peer_review"],
        "iaea_guidance_infcirc225": [
            "iaea_guidance_implementation_infcirc225_869",
            "radioactive_source_security",
            "regulatory_independence",
            "safety_security_interface",
        ],
        "heu_pu_minimization_and_security": [
            "heu_pu_minimization",
            "reactor_conversion_and_material_removal",
        ],
        "detection_and_forensics": ["detection_architecture", "nuclear_forensics"],
        "illicit_trafficking": ["counter_smuggling", "maritime_supply_chain"],
        "security_culture": ["security_culture", "insider_threat"],
        "information_security": ["information_security", "computer_cyber_security"],
        "transport_security": ["transport_security"],
        "multilateral_initiatives_gicnt_gp": [
            "international_cooperation_assistance",
            "architecture_follow_up_nscg",
            "reporting_transparency",
        ],
        "human_resources_training": [
            "education_training_competence",
            "centres_of_excellence_nssc",
        ],
        "industry": [],
    },
    "hague_2014_objectives": {
        "reduce_dangerous_material": [
            "heu_pu_minimization",
            "reactor_conversion_and_material_removal",
        ],
        "secure_all_material_and_sources": [
            "radioactive_source_security",
            "transport_security",
            "maritime_supply_chain",
            "insider_threat",
            "information_security",
            "computer_cyber_security",
            "iaea_guidance_implementation_infcirc225_869",
            "ippas_and_peer_review",
            "security_culture",
            "detection_architecture",
            "counter_smuggling",
            "nuclear_forensics",
            "legislation_regulation",
            "regulatory_independence",
            "safety_security_interface",
        ],
        "international_cooperation": [
            "cppnm_cppnma_adherence",
            "icsant_adherence",
            "unscr_1540_implementation",
            "iaea_nsf_contributions",
            "centres_of_excellence_nssc",
            "education_training_competence",
            "international_cooperation_assistance",
            "reporting_transparency",
            "architecture_follow_up_nscg",
        ],
    },
    "aca_pgs_2016_categories": {
        "nuclear_and_radiological_security": [
            "heu_pu_minimization",
            "reactor_conversion_and_material_removal",
            "radioactive_source_security",
            "transport_security",
            "insider_threat",
            "information_security",
            "computer_cyber_security",
            "iaea_guidance_implementation_infcirc225_869",
            "ippas_and_peer_review",
        ],
        "counter_nuclear_and_radiological_smuggling": [
            "counter_smuggling",
            "detection_architecture",
            "nuclear_forensics",
            "maritime_supply_chain",
        ],
        "education_and_training": [
            "education_training_competence",
            "centres_of_excellence_nssc",
            "security_culture",
        ],
        "governance_structures_and_processes": [
            "cppnm_cppnma_adherence",
            "icsant_adherence",
            "unscr_1540_implementation",
            "legislation_regulation",
            "regulatory_independence",
            "safety_security_interface",
            "iaea_nsf_contributions",
            "reporting_transparency",
            "architecture_follow_up_nscg",
            "international_cooperation_assistance",
        ],
        "joint_statement_participation": [],
    },
    "nti_index_categories": {
        "quantities_and_sites": ["heu_pu_minimization", "reactor_conversion_and_material_removal"],
        "security_and_control_measures": [
            "iaea_guidance_implementation_infcirc225_869",
            "insider_threat",
            "transport_security",
            "information_security",
            "computer_cyber_security",
            "security_culture",
            "radioactive_source_security",
        ],
        "global_norms": [
            "cppnm_cppnma_adherence",
            "icsant_adherence",
            "unscr_1540_implementation",
            "iaea_nsf_contributions",
            "ippas_and_peer_review",
            "reporting_transparency",
            "architecture_follow_up_nscg",
            "international_cooperation_assistance",
            "centres_of_excellence_nssc",
        ],
        "domestic_commitments_and_capacity": [
            "legislation_regulation",
            "regulatory_independence",
            "education_training_competence",
            "detection_architecture",
            "nuclear_forensics",
            "counter_smuggling",
            "maritime_supply_chain",
            "safety_security_interface",
        ],
        "risk_environment": [],
    },
    "iaea_inssp_components": {
        "legislative_and_regulatory_framework": [
            "legislation_regulation",
            "regulatory_independence",
            "cppnm_cppnma_adherence",
            "icsant_adherence",
            "unscr_1540_implementation",
        ],
        "prevention": [
            "heu_pu_minimization",
            "reactor_conversion_and_material_removal",
            "radioactive_source_security",
            "transport_security",
            "insider_threat",
            "information_security",
            "computer_cyber_security",
            "iaea_guidance_implementation_infcirc225_869",
            "ippas_and_peer_review",
            "security_culture",
        ],
        "detection": ["detection_architecture", "counter_smuggling", "maritime_supply_chain"],
        "response": ["nuclear_forensics"],
        "sustainability": [
            "education_training_competence",
            "centres_of_excellence_nssc",
            "iaea_nsf_contributions",
            "international_cooperation_assistance",
            "reporting_transparency",
            "architecture_follow_up_nscg",
            "safety_security_interface",
        ],
    },
    "white_house_2016_progress_highlights": {
        "capacity_building": [
            "education_training_competence",
            "centres_of_excellence_nssc",
            "international_cooperation_assistance",
        ],
        "laws_regulations_structures": ["legislation_regulation", "regulatory_independence"],
        "peer_review_missions_ippas": ["ippas_and_peer_review"],
        "infcirc_869_subscription": ["iaea_guidance_implementation_infcirc225_869"],
        "radioactive_source_security": ["radioactive_source_security"],
        "material_removal_heu_minimization": [
            "heu_pu_minimization",
            "reactor_conversion_and_material_removal",
        ],
        "treaty_ratification_implementation": ["cppnm_cppnma_adherence", "icsant_adherence"],
        "physical_security_upgrades_detection_equipment": [
            "detection_architecture",
            "counter_smuggling",
            "maritime_supply_chain",
            "transport_security",
        ],
        "new_international_regional_structures": [
            "architecture_follow_up_nscg",
            "centres_of_excellence_nssc",
        ],
        "financial_contributions": ["iaea_nsf_contributions"],
        "unscr_1540_support": ["unscr_1540_implementation"],
    },
}

SCHEME_NAMES = {
    "seoul_communique_2012": "Seoul Communiqué 2012: eleven priority areas",
    "washington_work_plan_2010": "Washington Work Plan 2010",
    "hague_2014_objectives": "The Hague 2014: summit objectives",
    "aca_pgs_2016_categories": "ACA/PGS 2016 assessment categories",
    "nti_index_categories": "NTI Nuclear Security Index categories",
    "iaea_inssp_components": "IAEA INSSP components",
    "white_house_2016_progress_highlights": (
        "White House 2016: highlights of national progress reports"
    ),
}

# (reference kind, subkind) -> (instrument kind, joining mechanism)
INSTRUMENT_KINDS = {
    ("convention", None): ("convention", "treaty"),
    ("amendment", "treaty_amendment"): ("amendment", "treaty"),
    ("un_security_council_resolution", None): (
        "security_council_resolution",
        "obligation_on_all_states",
    ),
    ("initiative", "voluntary_partnership"): ("initiative", "political_commitment"),
    ("initiative", "political_commitment_infcirc"): ("joint_statement", "political_commitment"),
    ("initiative", "iaea_advisory_service_peer_review"): ("initiative", "implementation_only"),
    ("initiative", "voluntary_fund"): ("initiative", "implementation_only"),
    ("initiative", "iaea_needs_assessment_plan"): ("initiative", "implementation_only"),
    ("partnership", "donor_partnership"): ("partnership", "political_commitment"),
    ("code_of_conduct", None): ("code_of_conduct", "political_commitment"),
    ("guidance", None): ("guidance", "political_commitment"),
    ("guidance", "iaea_nuclear_security_recommendations"): ("guidance", "implementation_only"),
    ("guidance", "guidance_series"): ("guidance", "implementation_only"),
}

DOCUMENT_KINDS = {
    "communique": "communique",
    "work_plan": "work_plan",
    "action_plan": "action_plan",
    "commitments_summary": "summary",
    "progress_summary": "summary",
}
"""Outcome-document kinds that are single documents; the reference's collective
entries ("National statements", "Joint statements") are categories, not documents."""

# Further snapshots stated in the reference's notes, written out here so that no
# number is parsed out of prose. Each names the note it comes from.
EXTRA_BASKET_SNAPSHOTS: dict[str, list[dict[str, Any]]] = {
    "gb_2016_insider_threats": [
        {
            "date": "2020-02",
            "member_count": 28,
            "organisations": ["INTERPOL"],
            "description": "28 States + INTERPOL (Feb 2020), per the reference's notes",
        },
        {
            "date": "2021",
            "member_count": 31,
            "organisations": ["INTERPOL"],
            "description": "31 Member States + INTERPOL (2021), per the reference's notes",
        },
    ],
    "gb_2016_heu_minimization": [
        {
            "date": "2016-04-01",
            "member_count": None,
            "members": ["Norway", "Canada", "Mexico", "Poland", "Sweden", "United States"],
            "description": "Partial list only (Exchange Monitor; WINS list for INFCIRC/912)",
        },
    ],
}

# Deadlines the reference states in the summit records.
HEADLINE_DEADLINES = {
    "nss2010": [
        {
            "key": "nss2010:secure_vulnerable_material",
            "due": "2014-04",
            "description": "Secure all vulnerable nuclear material in four years "
            "(headline goal of the 2010 summit)",
        },
    ],
}
DUE_TEXT = {"end of 2013": "2013", "2014": "2014"}
DEADLINE_INSTRUMENTS = {"Entry into force of the 2005 CPPNM Amendment": "cppnm_a"}


def summit_name(raw: dict[str, Any]) -> str:
    """A summit by what people call it, its year and its city, the same way for all four
    ("2010 Nuclear Security Summit (Washington)"): the sources name them unevenly
    ("2012 Seoul Nuclear Security Summit", "2016 Nuclear Security Summit")."""
    if "Nuclear Security Summit" not in raw["name"]:
        return raw["name"]
    city = raw["city"].split(",")[0].strip()
    return f"{raw['start_date'][:4]} Nuclear Security Summit ({city})"


class BuildError(Exception):
    pass


class Builder:
    def __init__(self, reference: dict[str, Any], addendum: dict[str, Any] | None = None):
        if addendum is not None:
            try:
                reference = adding.apply_corrections(reference, addendum)
                adding.merge_gift_baskets(reference, addendum)
            except adding.AddendumError as error:
                raise BuildError(str(error)) from None
        self.ref = reference
        self.addendum = addendum
        self.sources: dict[tuple[str, str], str] = {}
        self.skipped: list[str] = []
        self.instrument_notes: dict[str, list[str]] = {}
        self.org_names = {
            alias: code for code, (_, aliases) in ORGANISATIONS.items() for alias in aliases
        }

    # -- helpers -----------------------------------------------------------------
    def source_ids(self, sources: list[dict[str, str]] | None) -> list[str]:
        ids = []
        for source in sources or []:
            key = (source.get("url") or "", source["title"])
            if key not in self.sources:
                self.sources[key] = f"S{len(self.sources) + 1:03d}"
            ids.append(self.sources[key])
        return ids

    def party(self, name: str) -> str:
        if name in self.org_names:
            return self.org_names[name]
        if name in STATE_ALIASES:
            return STATE_ALIASES[name]
        try:
            return pycountry.countries.lookup(name).alpha_3
        except LookupError:
            raise BuildError(f"no exact ISO 3166 or organisation match for {name!r}") from None

    def party_name(self, code: str) -> str:
        """The name ISO 3166 (or the list of organisations) gives a party code."""
        if code in ORGANISATIONS:
            return ORGANISATIONS[code][0]
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise BuildError(f"no ISO 3166 state has the code {code!r}")
        return country.name

    def themes(self, topics: list[str] | None, where: str) -> list[str]:
        result: list[str] = []
        # Some records join several topics in one string ("a; b").
        split = [t.strip() for topic in topics or [] for t in topic.split(";") if t.strip()]
        for topic in split:
            if topic not in TOPIC_TO_THEMES:
                raise BuildError(f"{where}: topic {topic!r} has no internal theme mapping")
            for theme in TOPIC_TO_THEMES[topic]:
                if theme not in result:
                    result.append(theme)
        return result

    def kept(self, record: dict[str, Any], what: str) -> bool:
        if record.get("confidence") in KEPT:
            return True
        self.skipped.append(
            f"{what} {record.get('id') or record.get('title')}: "
            f"confidence {record.get('confidence')}"
        )
        return False

    # -- sections ----------------------------------------------------------------
    def organisations(self) -> list[dict[str, Any]]:
        summit_sources = [s for summit in self.ref["summits"] for s in summit["sources"][:1]]
        return [
            {
                "key": f"org:{code}",
                "code": code,
                "name": name,
                "confidence": "high",
                "sources": self.source_ids(summit_sources[:1])
                if code in ("IAEA", "UN", "EU")
                else [],
            }
            for code, (name, _) in ORGANISATIONS.items()
        ]

    def schemes_and_themes(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        taxonomies = self.ref["themes"]
        theme_codes = {code for code, _ in THEMES}
        maps_to: dict[str, list[str]] = {code: [] for code, _ in THEMES}
        schemes = []
        for scheme_code, mapping in SCHEME_MAPPINGS.items():
            taxonomy = taxonomies[scheme_code]
            areas = taxonomy["areas"]
            counts = {}
            if areas and isinstance(areas[0], dict):
                counts = {a["id"]: a.get("count") for a in areas}
                areas = [a["id"] for a in areas]
            if set(areas) != set(mapping):
                raise BuildError(f"scheme {scheme_code}: mapping does not cover its areas")
            area_rows = []
            for order, area in enumerate(areas):
                for theme in mapping[area]:
                    if theme not in theme_codes:
                        raise BuildError(f"scheme {scheme_code}: unknown theme {theme}")
                    maps_to[theme].append(f"{scheme_code}:{area}")
                label = area.replace("_", " ").capitalize()
                row = {"code": area, "label": label, "sort_order": order}
                if counts.get(area) is not None:
                    row["description"] = f"States reporting: {counts[area]}"
                area_rows.append(row)
            schemes.append(
                {
                    "key": f"scheme:{scheme_code}",
                    "code": scheme_code,
                    "name": SCHEME_NAMES[scheme_code],
                    "description": taxonomy.get("note"),
                    "confidence": taxonomy["confidence"],
                    "sources": self.source_ids(taxonomy.get("source")),
                    "areas": area_rows,
                }
            )
        themes = [
            {
                "key": f"theme:{code}",
                "code": code,
                "label": label,
                "sort_order": order,
                "confidence": "editorial",
                "maps_to": maps_to[code],
                "notes": "Internal theme list recommended by the reference; mappings to external "
                "schemes are nsdesk's editorial synthesis.",
            }
            for order, (code, label) in enumerate(THEMES)
        ]
        return schemes, themes

    def snapshot(
        self, key: str, raw: dict[str, Any], sources: list[str], confidence: str
    ) -> dict[str, Any]:
        date = raw.get("date")
        description = raw.get("note") or raw.get("description")
        if date and not date[:4].isdigit():
            description = f"{description + '; ' if description else ''}date given as: {date}"
            date = None
        count = next(
            (raw[k] for k in ("subscribers", "partners", "states", "member_count") if k in raw),
            None,
        )
        observers = raw.get("observers", raw.get("observer_orgs"))
        members = [self.party(n) for n in raw.get("members", [])]
        members += [self.party(n) for n in raw.get("organizations", raw.get("organisations", []))]
        members += raw.get("codes", [])
        complete = raw.get("complete")
        if complete is None and members:
            # A list as long as its count is the whole list; a shorter one (or one
            # without a count) names only some.
            complete = count is not None and len(members) >= count
        organisations = raw.get("includes_organisations")
        if organisations is None and any(m in ORGANISATIONS for m in members):
            organisations = True
        elif organisations is None and complete:
            organisations = False
        return {
            "key": key,
            "date": date,
            "member_count": count,
            "signatory_count": raw.get("signatories"),
            "observer_count": observers,
            "description": description,
            "members": members,
            "includes_organisations": organisations,
            "member_list_complete": complete if members or complete is not None else None,
            "confidence": confidence,
            "sources": sources,
        }

    def instruments(self) -> list[dict[str, Any]]:
        result = []
        for raw in self.ref["instruments"]:
            if not self.kept(raw, "instrument"):
                continue
            pair = INSTRUMENT_KINDS.get((raw["kind"], raw.get("subkind"))) or INSTRUMENT_KINDS.get(
                (raw["kind"], None)
            )
            if pair is None:
                raise BuildError(f"instrument {raw['id']}: no kind mapping for {raw['kind']}")
            kind, mechanism = pair
            sources = self.source_ids(raw["sources"])
            snapshots = [
                self.snapshot(f"{raw['id']}@{i}", snap, sources, raw["confidence"])
                for i, snap in enumerate(raw.get("membership_snapshots", []))
            ]

            result.append(
                {
                    "key": raw["id"],
                    "code": raw["id"],
                    "name": raw["name"],
                    "short_name": raw["short_name"],
                    "kind": kind,
                    "mechanism": mechanism,
                    "binding": bool(raw.get("binding")),
                    "adopted": raw.get("adopted"),
                    "opened_for_signature": raw.get("opened_for_signature"),
                    "entered_into_force": raw.get("entered_into_force"),
                    "entry_into_force_condition": raw.get("entry_into_force_condition"),
                    "depositary": raw.get("depositary"),
                    "scope": raw.get("scope"),
                    "participation_model": raw.get("participation_model"),
                    "reporting_summary": raw.get("reporting"),
                    "text_reference": raw.get("text_reference"),
                    "url": raw.get("url"),
                    "amends": raw.get("amends"),
                    "supplements": raw.get("supplements"),
                    "confidence": raw["confidence"],
                    "notes": raw.get("notes") or None,
                    "sources": sources,
                    "snapshots": snapshots,
                }
            )
        return result

    def events(self) -> list[dict[str, Any]]:
        result = []
        for raw in self.ref["summits"]:
            if not self.kept(raw, "summit"):
                continue
            sources = self.source_ids(raw["sources"])
            documents = []
            for i, doc in enumerate(raw.get("outcome_documents", [])):
                kind = DOCUMENT_KINDS.get(doc["kind"])
                if kind is None:
                    continue
                documents.append(
                    {
                        "key": f"{raw['id']}:{doc['kind']}"
                        + (f"{i}" if doc["kind"] == "summary" else ""),
                        "kind": kind,
                        "title": doc["title"].split(" (single document")[0],
                        "issued_on": raw["end_date"],
                        "url": doc.get("url"),
                        "confidence": raw["confidence"],
                        "sources": sources,
                    }
                )
            communique = next((d["key"] for d in documents if d["kind"] == "communique"), None)
            deadlines = [
                {
                    **d,
                    "document": None,
                    "instrument": None,
                    "confidence": raw["confidence"],
                    "sources": sources,
                }
                for d in HEADLINE_DEADLINES.get(raw["id"], [])
            ]
            for i, d in enumerate(raw.get("deadlines_set", [])):
                deadlines.append(
                    {
                        "key": f"{raw['id']}:deadline{i}",
                        "description": d["item"],
                        "due": DUE_TEXT[d["due"]],
                        "document": communique,
                        "instrument": DEADLINE_INSTRUMENTS.get(d["item"]),
                        "confidence": raw["confidence"],
                        "sources": sources,
                    }
                )
            notes = raw.get("notes")
            if raw.get("participating_states_confidence"):
                notes = f"{notes} Participating states: {raw['participating_states_confidence']}."
            result.append(
                {
                    "key": raw["id"],
                    "code": raw["id"],
                    "kind": "summit",
                    "name": summit_name(raw),
                    "start_date": raw["start_date"],
                    "end_date": raw["end_date"],
                    "city": raw["city"],
                    "venue": raw.get("venue"),
                    "host": self.party(raw["host_state"]),
                    "participating_states": raw.get("participating_states"),
                    "confidence": raw["confidence"],
                    "notes": notes,
                    "sources": sources,
                    "documents": documents,
                    "deadlines": deadlines,
                }
            )
        return result

    def gift_baskets(
        self, instrument_codes: set[str], documents: dict[str, str] | None = None
    ) -> list[dict[str, Any]]:
        becomes = {
            raw["gift_basket_ref"]: raw["id"]
            for raw in self.ref["instruments"]
            if raw.get("gift_basket_ref")
        }
        result = []
        for raw in self.ref["gift_baskets"]:
            if not self.kept(raw, "gift basket"):
                continue
            sources = self.source_ids(raw["sources"])
            snapshots = []
            listed = raw.get("_addendum_list")
            if listed is not None and not (
                listed["count"] is not None or listed["codes"] or listed["organisations"]
            ):
                listed = None  # the addendum knows no more of its signatories
            at_statement = listed is not None and not listed["dated_by_infcirc"]
            if at_statement:
                # the addendum's list is the statement's own: it completes the first snapshot
                snapshots.append(
                    self.snapshot(
                        f"{raw['id']}@0",
                        {
                            "date": listed["date"],
                            "member_count": listed["count"],
                            "codes": listed["codes"],
                            "organisations": listed["organisations"],
                            "complete": listed["complete"],
                            "includes_organisations": listed["includes_organisations"],
                            "description": listed["note"] or raw.get("signatory_count_note"),
                        },
                        sources,
                        raw["confidence"],
                    )
                )
            elif raw.get("signatory_count") is not None or raw.get("signatories"):
                snapshots.append(
                    self.snapshot(
                        f"{raw['id']}@0",
                        {
                            "date": raw.get("date"),
                            "member_count": raw.get("signatory_count"),
                            "members": raw.get("signatories") or [],
                            "description": raw.get("signatory_count_note"),
                        },
                        sources,
                        raw["confidence"],
                    )
                )
            for i, extra in enumerate(EXTRA_BASKET_SNAPSHOTS.get(raw["id"], []), start=1):
                snapshots.append(self.snapshot(f"{raw['id']}@{i}", extra, sources, "medium"))
            if listed is not None and listed["dated_by_infcirc"]:
                # a list of the INFCIRC's subscribers: dated by the INFCIRC, not the summit
                snapshots.append(
                    self.snapshot(
                        f"{raw['id']}@{listed['date']}",
                        {
                            "date": listed["date"],
                            "member_count": listed["count"],
                            "codes": listed["codes"],
                            "organisations": listed["organisations"],
                            "complete": listed["complete"],
                            "includes_organisations": listed["includes_organisations"],
                            "description": f"Signatories of {raw.get('infcirc')}, "
                            f"{listed['date']}"
                            + ("" if listed["complete"] else " (the list may be partial)"),
                        },
                        sources,
                        raw["confidence"],
                    )
                )
            infcirc = raw.get("infcirc")
            if infcirc and not infcirc.startswith("INFCIRC/"):
                infcirc = None  # e.g. "unverified (submitted to IAEA 2017)"
            instrument = becomes.get(raw["id"])
            result.append(
                {
                    "key": raw["id"],
                    "code": raw["id"],
                    "title": raw["title"],
                    "event": raw["summit"],
                    "issued_on": raw.get("date"),
                    "infcirc": infcirc,
                    "instrument": instrument if instrument in instrument_codes else None,
                    "document": (documents or {}).get(raw["id"]),
                    "summary": raw.get("summary"),
                    "leads": [self.party(n) for n in raw.get("lead_states") or []],
                    "themes": self.themes(raw.get("themes"), raw["id"]),
                    "confidence": raw["confidence"],
                    "notes": raw.get("notes") or None,
                    "sources": sources,
                    "snapshots": snapshots,
                }
            )
        return result

    def examples(self) -> list[dict[str, Any]]:
        result = []
        for raw in self.ref["example_national_commitments"]:
            if not self.kept(raw, "example commitment"):
                continue
            result.append(
                {
                    "state": self.party(raw["state"]),
                    "summit": raw["summit"].split(" ")[0],
                    "text": raw["commitment"],
                    "themes": self.themes([raw["theme"]], raw["commitment"][:40]),
                    "status": raw["status"],
                    "completed_on": raw.get("completed_on"),
                    "outcome": raw.get("outcome"),
                    "confidence": raw["confidence"],
                    "sources": self.source_ids(raw["sources"]),
                }
            )
        return result

    def build(self) -> dict[str, Any]:
        schemes, themes = self.schemes_and_themes()
        instruments = self.instruments()
        events = self.events()
        documents: dict[str, str] = {}
        extra: dict[str, Any] = {"participation": [], "deadlines": [], "conflicts": []}
        if self.addendum is not None:
            documents = self.fold_addendum_events(events)
        baskets = self.gift_baskets({i["code"] for i in instruments}, documents)
        organisations = self.organisations()
        examples = self.examples()
        if self.addendum is not None:
            extra = self.fold_addendum_participation(instruments, events)
        catalogue = {
            "format": CATALOGUE_FORMAT,
            "version": CATALOGUE_VERSION,
            "as_of": CATALOGUE_AS_OF,
            "title": "nsdesk catalogue of the nuclear-security process",
            "built_from": "shared/reference/reference.json: "
            + self.ref["meta"]["title"]
            + (
                "; addendum-2026-12.json (corrections, participation, statements, events)"
                if self.addendum is not None
                else ""
            ),
            "caveat": self.ref["meta"]["caveat"],
            "left_out": sorted(self.skipped),
            "sources": {
                sid: {"url": url or None, "title": title}
                for (url, title), sid in sorted(self.sources.items(), key=lambda kv: kv[1])
            },
            "organisations": organisations,
            "schemes": schemes,
            "themes": themes,
            "instruments": instruments,
            "events": events,
            "gift_baskets": baskets,
            "example_commitments": examples,
        }
        if self.addendum is not None:
            catalogue.update(
                participation=extra["participation"],
                deadlines=extra["deadlines"],
                conflicts=extra["conflicts"],
                withdrawn={"document": ["nss2016:action_plan"]},
            )
        return catalogue

    # -- the addendum ------------------------------------------------------------------
    def fold_addendum_events(self, events: list[dict[str, Any]]) -> dict[str, str]:
        """The summits' documents and deadlines as the addendum completes them, and its
        conferences; returns the document of each joint statement that has one."""
        assert self.addendum is not None
        extras = self.ref["_catalogue_extras"]
        by_code = {e["code"]: e for e in events}
        summits = {s["id"]: s for s in self.ref["summits"]}
        nss2016 = by_code["nss2016"]
        nss2016["documents"] = [
            d for d in nss2016["documents"] if d["key"] != "nss2016:action_plan"
        ] + adding.action_plans(self, summits["nss2016"])
        statements = adding.statement_documents(self, self.ref["gift_baskets"])
        documents = {}
        for summit, docs in statements.items():
            for doc in docs:
                documents[doc.pop("basket")] = doc["key"]
            by_code[summit]["documents"] += docs
        targets, self.standalone_deadlines = adding.dated_targets(self)
        for summit, deadlines in targets.items():
            by_code[summit]["deadlines"] += deadlines
        for event in events:
            for deadline in event["deadlines"]:
                link = extras["deadline_links"].get(deadline["key"])
                if link is not None:
                    deadline["document"] = link["document"]
                    deadline["notes"] = link["notes"]
                    deadline["cited"] = [
                        {"source": self.source_ids([s])[0], "field": f, "note": n}
                        for s, f, n in link["cite"]
                    ]
        events += adding.events(self, self.addendum)
        return documents

    def fold_addendum_participation(
        self, instruments: list[dict[str, Any]], events: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Every party's acts under the treaties, the dated party counts (added to the
        instruments), and the conflicting values to cite."""
        assert self.addendum is not None
        try:
            rows, counts = adding.participation(self, self.addendum)
        except adding.AddendumError as error:
            raise BuildError(str(error)) from None
        by_code = {i["code"]: i for i in instruments}
        for code, snapshots in counts.items():
            by_code[code]["snapshots"] += snapshots
        for code, notes in self.instrument_notes.items():
            by_code[code]["notes"] = " ".join([by_code[code]["notes"] or "", *notes]).strip()
        conflicts = [
            {
                "table": c["table"],
                "key": c["key"],
                "field": c["field"],
                "sources": self.source_ids(c["sources"]),
                "note": c["note"],
            }
            for c in self.ref["_catalogue_extras"]["conflicts"]
        ]
        return {
            "participation": rows,
            "deadlines": self.standalone_deadlines,
            "conflicts": conflicts,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--addendum", type=Path, help="an addendum to fold in (corrections…)")
    args = parser.parse_args(argv)
    addendum = json.loads(args.addendum.read_text("utf-8")) if args.addendum else None
    try:
        catalogue = Builder(json.loads(args.reference.read_text("utf-8")), addendum).build()
    except BuildError as error:
        print(f"catalogue build refused: {error}", file=sys.stderr)
        return 1
    text = json.dumps(catalogue, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    args.output.write_text(text, "utf-8")
    counts = {k: len(v) for k, v in catalogue.items() if isinstance(v, list | dict)}
    print(f"wrote {args.output}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

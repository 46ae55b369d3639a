"""The seed council: Dacorum Borough Council's Housing and Community Overview &
Scrutiny Committee, exactly as its two reports state it.

Sources, in `shared/seeds/`:
- 000 — Quarter 1 2020/21 report (meeting 9 September 2020), with the performance table;
- 002 — Quarter 2 2018/19 report (meeting 7 November 2018), table in an appendix.

Only what the reports state is here: no figure, target or text is invented. The
extracted PDF text cut some words ("hildren attending Idventure Playgrounds"); they
are restored to the words the council printed. Figures are quarterly: the reports
give quarter results, not months.
"""

from __future__ import annotations

from decimal import Decimal as D

COUNCIL = "Dacorum Borough Council"

DIRECTORATE = {"slug": "people-performance-innovation", "name": "People, Performance and Innovation"}
GROUP = {"slug": "people-communities", "name": "People and Communities"}

# name, job title (latest stated), honorific, councillor?
PEOPLE = [
    ("Linda Roberts", "Assistant Director – People, Performance and Innovation", "", False),
    ("Matt Rawdon", "Group Manager – People and Communities", "", False),
    ("Joe Guiton", "Community Safety and Children Team Leader", "", False),
    ("Sara Railson", "Arts Team Leader", "", False),
    ("Alex Care", "Community Partnerships Team Leader", "", False),
    ("Kelvin Soley", "Communications Team Leader", "", False),
    ("Tracy Lancashire", "Customer Service Team Leader", "", False),
    ("Julie Banks", "Portfolio Holder for Community and Regulatory Services", "Cllr", True),
    ("Neil Harden", "Portfolio Holder for Resident and Regulatory Services", "Cllr", True),
]

PORTFOLIOS = [
    ("Community and Regulatory Services", "Julie Banks"),
    ("Resident and Regulatory Services", "Neil Harden"),
]

# slug, name, team leader; in the order the Q1 2020/21 report gives their achievements.
SERVICES = [
    ("children-community-safety", "Children Services and Community Safety Partnership", "Joe Guiton"),
    ("old-town-hall", "The Old Town Hall", "Sara Railson"),
    ("customer-services", "Customer Services", "Tracy Lancashire"),
    ("community-partnerships", "Community Partnerships", "Alex Care"),
    ("communications", "Communications", "Kelvin Soley"),
]

OBJECTIVES = ["Building strong and vibrant communities", "Delivering an efficient and modern council"]

# priority, its corporate objective, themes — in the table's order.
PRIORITIES = [
    ("Building Community Capacity", OBJECTIVES[0], ["Empower local community action and delivery"]),
    ("Dacorum Delivers", OBJECTIVES[1], ["Performance excellence", "Reputation and profile delivery"]),
]

COMMITTEE = {
    "slug": "housing-community",
    "name": "Housing and Community Overview & Scrutiny",
    "portfolio": "Community and Regulatory Services",
    "purpose": "Monitoring and information",
    "recommendations": (
        "That Members note the report and identify any areas where they require additional information"
    ),
    "financial_implications": "Within existing budgets",
    "value_for_money_implications": (
        "Services are regularly reviewed to ensure they are efficiently delivered and commercial "
        "opportunities are actively sought."
    ),
    "risk_implications": "None at this stage.",
    "equalities_implications": "None at this stage.",
    "health_and_safety_implications": "None at this stage.",
    "consultees": "Service Team Leaders",
    "background_papers": "Nil",
    "table_caption": "OSC Report - Housing & Community - Performance, People and Innovation",
}

Q1_2020 = "2020-21-Q1"  # Jun-2020
Q4_2019 = "2019-20-Q4"  # Mar-20
Q1_2019 = "2019-20-Q1"  # Jun-19

INDICATORS = [
    {
        "code": "YP01a",
        "name": "Number of children attending Adventure Playgrounds",
        "unit": "Attendances",
        "measure_kind": "count",
        "polarity": "info-only",
        "aggregation": "sum",
        "decimal_places": 0,
        "service": "children-community-safety",
        "theme": ("Building Community Capacity", "Empower local community action and delivery"),
        "targets": {},
        "values": {
            Q1_2020: {
                "no_data_reason": "The APGs have been closed during this period due to CV-19 guidance.",
                "approver_comment": "The APGs have been closed during this period due to CV-19 guidance.",
            },
            Q4_2019: {"value": D("2102")},
            Q1_2019: {"value": D("10155")},
        },
    },
    {
        "code": "CSU10",
        "name": "Call Handling: Average wait time",
        "unit": "Second(s)",
        "measure_kind": "duration",
        "polarity": "lower-is-better",
        "aggregation": "mean",
        "decimal_places": 2,
        "service": "customer-services",
        "theme": ("Dacorum Delivers", "Performance excellence"),
        "targets": {Q1_2020: D("300"), Q4_2019: D("300"), Q1_2019: D("300")},
        "values": {
            Q1_2020: {"value": D("79.33"), "approver_comment": "KPI Achieved."},
            Q4_2019: {"value": D("325")},
            Q1_2019: {"value": D("314.33")},
        },
    },
    {
        "code": "CSU11",
        "name": "Call Handling: Abandoned Call Rate",
        "unit": "%",
        "measure_kind": "rate",
        "polarity": "lower-is-better",
        "aggregation": "ratio",
        "decimal_places": 2,
        "service": "customer-services",
        "theme": ("Dacorum Delivers", "Performance excellence"),
        "targets": {Q1_2020: D("20"), Q4_2019: D("20"), Q1_2019: D("20")},
        "values": {
            Q1_2020: {"numerator": D("640"), "denominator": D("19498"), "approver_comment": "KPI Achieved."},
            Q4_2019: {"numerator": D("3077"), "denominator": D("28131")},
            Q1_2019: {"numerator": D("3528"), "denominator": D("28174")},
        },
    },
    {
        "code": "CSU12",
        "name": "Face to Face; Average Wait Time",
        "unit": "Second(s)",
        "measure_kind": "duration",
        "polarity": "lower-is-better",
        "aggregation": "mean",
        "decimal_places": 2,
        "service": "customer-services",
        "theme": ("Dacorum Delivers", "Performance excellence"),
        "targets": {Q1_2020: D("450"), Q4_2019: D("450"), Q1_2019: D("450")},
        "values": {
            Q1_2020: {
                "value": D("0"),
                "not_measured": True,
                "approver_comment": "No face to face meetings during the lockdown period.",
            },
            Q4_2019: {"value": D("203")},
            Q1_2019: {"value": D("195")},
        },
    },
    {
        "code": "CSU06",
        "name": "Percentage of customers satisfied with service received from the Customer Service Unit",
        "unit": "%",
        "measure_kind": "rate",
        "polarity": "higher-is-better",
        "aggregation": "ratio",
        "decimal_places": 2,
        "service": "customer-services",
        "theme": ("Dacorum Delivers", "Reputation and profile delivery"),
        "targets": {Q1_2020: D("80"), Q4_2019: D("80"), Q1_2019: D("80")},
        "values": {
            Q1_2020: {"numerator": D("1489"), "denominator": D("1491"), "approver_comment": "KPI Achieved"},
            Q4_2019: {"numerator": D("634"), "denominator": D("634")},
            Q1_2019: {"numerator": D("2530"), "denominator": D("2536")},
        },
    },
]

_AUTHORS_2020 = [
    "Linda Roberts (Assistant Director – People, Performance and Innovation)",
    "Matt Rawdon (Group Manager – People and Communities)",
    "Joe Guiton (Community Safety and Children Team Leader)",
    "Sara Railson (Arts Team Leader)",
    "Alex Care (Community Partnerships Team Leader)",
    "Kelvin Soley (Communications Team Leader)",
    "Tracy Lancashire (Customer Service Team Leader)",
]
_AUTHORS_2018 = [
    "Linda Roberts (Assistant Director – People, Performance and Innovation)",
    "Matt Rawdon (Group Manager – People)",
    "Joe Guiton (Community Safety and Children Team Leader)",
    "Sara Railson (Arts Team Leader)",
    "Alex Care (Community Partnerships Team Leader)",
]

REPORTS = [
    {
        "period": Q1_2020,
        "meeting_date": "2020-09-09",
        "part": "",
        "title": (
            "Quarter 1 Performance Report – Children Services & Community Safety Partnership, "
            "Customer Services, The Old Town Hall, Communications and Community Partnerships"
        ),
        "contact": "Cllr Julie Banks, Portfolio Holder for Community and Regulatory Services",
        "authors": "\n".join(_AUTHORS_2020),
        "background_papers": "",  # the Q1 2020/21 cover sheet has no background papers line
        "table_as_appendix": False,
        "performance_commentary": (
            "Quarter 1 performance is detailed below. Members will note that overall performance is "
            "positive for quarter 1. Clearly some data is not available for this quarter due to the "
            "service not being available during pandemic.\n\n"
            "The Customer Service Unit (CSU) had a positive quarter with three measureable targets being "
            "achieved. We were able to mobilise our staff quickly to receive calls from home, which enabled "
            "all operators to focus efforts solely on phone calls. This resulted in the team being able to "
            "keep the wait times down and achieve the targets. The decision last year to introduce part "
            "home working for our CSU workforce has helped the team deal with responding to the crisis."
        ),
    },
    {
        "period": "2018-19-Q2",
        "meeting_date": "2018-11-07",
        "part": "I",
        "title": (
            "Quarter 2 Performance Report – Children Services and Community Safety Partnership, "
            "Customer Services, The Old Town Hall and Community Partnerships"
        ),
        "contact": "Cllr Neil Harden, Portfolio Holder for Resident and Regulatory Services",
        "authors": "\n".join(_AUTHORS_2018),
        "background_papers": None,  # the committee's default, "Nil"
        "table_as_appendix": True,
        "achievements_as_sections": True,
        "performance_commentary": "",
    },
]

# Achievements: service slug → period → items. Plain text: blank lines separate
# paragraphs, "- " starts a bullet. Numbering comes from the order, never the text.
ACHIEVEMENTS = {
    Q1_2020: {
        "children-community-safety": [
            "The Community Safety Team made 275 food parcel deliveries to households in the borough and "
            "supported 3 charities with over 150 parcels, Hospice of St Francis, Age Dacorum and The South "
            "Hill Centre, during the Coronavirus Pandemic.",
            "The Adventure Playground staff were redeployed to assist with the contacting, cleaning and "
            "sanitising of Elderly Person Dwellings.",
            "Staff from the community safety team were also redeployed to support the council's post room.",
            "The works to install the new 3G pitch will commence in September.",
            "The community safety public meeting was postponed due to Covid-19 and has been re-arranged for "
            "the autumn.",
            "We have had additional pressure on the service due to Domestic Abuse approaches (victims and "
            "perpetrators). Data from Families first shows that last year in a 7 week snapshot (first "
            "quarter) there were 40 new reports of Domestic Abuse.",
        ],
        "old-town-hall": [
            "Due to the Coronavirus pandemic the Old Town Hall along with all other arts and entertainment "
            "venues in England closed its doors on Tuesday 17th March 2020. For 8 weeks the building was "
            "locked to both staff and public alike.",
            "When staff were allowed back into the building in May the following works to the building were "
            "achieved:\n\n"
            "- Completion of an essential water quality test following the re-opening of the building.\n"
            "- The installation of the new theatre seating went ahead.\n"
            "- The Old Town Hall roof (above the auditorium) fixed the water ingress issue. Scaffolding has "
            "gone up front and back of the building to get urgent roofing works done.\n"
            "- Monthly water temperature checks and Legionella testing. Old Town Hall technician conducts "
            "weekly tests – Orion water engineers conduct monthly checks\n"
            "- Replacement of water heater in the Cellar Orion engineers / Building\n"
            "- Installation of new dosing point on second main water tap.\n"
            "- Removal of theatre tabs (curtains) for cleaning and application of Fire Retardant in line "
            "with HSE regulations.\n"
            "- Removal of pigeons and guava from roof void above the Gallery bar / café\n"
            "- Replacement of broken radiator\n"
            "- Replacement of broken window that looks out onto the High Street\n\n"
            "In addition our cleaning staff are engaged in full and robust programme of 'deep cleans' in "
            "all areas of the building.",
        ],
        "customer-services": [
            "All staff are working from home our response to phone call enquiries has not been negatively "
            "impacted by the closure of the Forum. All KPI's met for telephone call response.",
            "Worked with all service areas to amend processes due to no face to face provision available to "
            "ensure there was as little negative impact to customers as possible.",
            "Carried out over 7,500 outbound calls to vulnerable residents on behalf of Hertfordshire County "
            "Council to offer support during lockdown. Undertook this exercise twice in the quarter.",
            "Worked with Electoral Registration to prepare for the Annual canvass.",
            "Worked with Pest Control to prepare for the transfer of Pest Control calls to the Customer "
            "Service unit from August.",
            "Discussions with the Food Safety team for the CSU to assist with making outbound calls to "
            "premises throughout July in line with their opening and COVID-19 guidelines.",
        ],
        "community-partnerships": [
            "Hertfordshire Year of Culture 2020 Selected highlights in this Q1 include:\n\n"
            "- VE day at home worked with Mayor's Secretary to put together a celebrate at home package "
            "online\n"
            "- Three online campaigns 64 millions artists Creative Challenges, Creativity and Wellbeing week, "
            "and Mental Health awareness week in May\n"
            "- #TAG dance intergenerational partner project successful with Arts Council England emergency "
            "funding to adapt project as an online offer. Delivered and completed community dance workshops "
            "and a film showing on the Town Centre Screen.\n"
            "- Herts Cultural Education Partnership (HCEP) Investment programme for young people – needs "
            "analysis research report completed and published.",
            "Sports and Physical Wellbeing activities Highlights in this Q1 include:\n\n"
            "- Active Dacorum Hub at Cupid Green Playing Fields signage completed and work ongoing for "
            "launch / opening of the hub and the wellness festival.\n"
            "- Confirmed Tennis Courts resurfacing\n"
            "- Set up Football Working Group, working with DBC colleagues, Herts FA, the Football Foundation "
            "and DSN.\n"
            "- Continued planning for the Your Town event in October\n"
            "- Where possible planned physical activities have been moved to appropriate online versions.",
            "Healthy Hub\n\n"
            "- The Healthy Hub Dacorum (public health funding) has recently launched as a one stop shop for "
            "residents, aiming to provide guidance on the services that will support your health and "
            "wellbeing needs.\n"
            "- As we are expected to run virtually until 2021, recently the Healthy Hub has introduced an "
            "online enquiry form on our website for our clients to get in contact.\n"
            "- Seeing growth within our social media platforms as we start to promote ourselves and our "
            "partners to Dacorum residents through Facebook and Twitter.\n"
            "- Whilst we transition out of lockdown, we are also developing partnerships to create physical "
            "centres within Hemel Hempstead, Tring and Berkhamsted, which will allow us to provide face to "
            "face support albeit in a safe environment.",
            "VE Day events on 8th May were limited by lockdown, but our team worked with communications and "
            "the Mayors team to publicise ways of celebrating VE Day safely, with decorations, a toast, "
            "singing 'We'll meet again' and watching a plane fly over Dacorum with a VE Day banner.",
            "The Armed Forces Day event in Gadebridge Park that was intended to be held on June 27th 2020 was "
            "postponed until June 2021. A tribute to the Armed Forces was created on-line, using the "
            "portraits and stories of four Dacorum residents who support the armed forces. In addition to "
            "this, there was a raising of the Armed Forces Day flag at The Forum to mark the start of Armed "
            "Forces Week and Cllr Julie Banks, Armed Forces Covenant Champion, arranged for war memorials to "
            "be cleaned.",
        ],
        "communications": [
            "External communications support and delivery on external campaigns and projects such as VE Day "
            "75, Armed Forces Day, A41 Spring Clean, Hertfordshire Year of Culture 2020, Annual Canvass, EU "
            "Settlement Scheme, 'You are not alone (domestic violence) campaign' and Hemel Garden "
            "Communities.",
            "Internal communications design and implementation of internal campaigns and projects including "
            "the launch of a 'Covid-19 Information Hub on the intranet, Covid-19: Staff Health and Wellbeing "
            "Survey, launch of the new HR system (iTrent), Staff WhatsApp group promotion (over 330 staff "
            "signed-up) and ongoing internal communications and staff engagement programmes. Results from "
            "the Covid-19 staff survey showed that only 13% (344 respondents) of staff felt that they had not "
            "been kept up to date on Covid-19 developments.",
            "Covid-19 Communications support Ongoing support during the Covid-19 pandemic. This includes "
            "dedicated campaigns including the various grant schemes and discretionary grant fund, public "
            "information campaigns from the Cabinet Office and Public Health England and service specific "
            "campaigns and updates.",
        ],
    },
    "2018-19-Q2": {
        "children-community-safety": [
            "The playground operational changes have been implemented and all appointments have been made "
            "within the new staffing structure. Staff training on safeguarding and playground structure "
            "safety will commence during the winter months.",
            "Community Safety Partnerships – The five priorities, domestic abuse, violent crime, knife crime, "
            "ASB and drugs/alcohol have been set and work relating to these themes will continue to be "
            "monitored at the Responsible Officer Action Group (ROAG). Work is underway to streamline multi "
            "agency meetings to ensure the best use of time whilst improving attendance.",
        ],
        "old-town-hall": [
            "Hosted 34 private hires ranging from the ever popular Let's Dance (dance for older people) to a "
            "Dacorum Marketing event.",
            "During the summer holidays we hosted the Herts Inclusive Theatre group summer school. Very "
            "popular for both participants and audiences.",
            "The OTH was one of 68 studios around the county taking part in Herts Open Studios in September.",
        ],
        "customer-services": [
            "An operational review is underway of the service, some of the key areas being reviewed are: "
            "channel shift, operational staff structure, technology options, PIs, recruitment etc.",
        ],
        "community-partnerships": [
            "Everyone Active – Hemel refurbishment completed with excellent feedback, attendance at opening "
            "day and record signings for a refurbishment opening for EA.",
            "Summer Grants Panel awarded total of £7,724 to 8 different community organisations.",
            "M-ask programme - Most recent cohort started in September, with 9 participants regularly "
            "attending.",
            "Colourful Minds - This is an arts / culture intervention aimed at supporting adults with low "
            "level mental health issues. The first cohort started in September with 10 participants "
            "attending (a full cohort)",
            "Grovehill 'Love Your Neighbourhood' event: took place in August. 17 services attended and over "
            "30 local residents attended (numbers possibly affected by the rain). Feedback from all was very "
            "positive about the networking and engagement opportunities.",
            "Inflatable pop up events (including Lark in the Park): seven events were held. Typical "
            "attendance to the pop up events was approximately 100 people and the lark in the park attracted "
            "approximately 2500 people. The events appeared to be well received by our residents.",
        ],
    },
}

#!/usr/bin/env python3
"""Write the tables of the world-2024 scenario: China's provinces as in
../china-2024, plus the world's smelters, anode plants, suppliers, ports and
sea links.

    python3 build_world.py            # (re)write the tables in this folder
    python3 build_world.py --check    # exit 1 if a table differs from what it would write

China's rows are copied from ../china-2024 (its seven export markets, fixed sinks
there, are left out: here the world's smelters buy by landed cost), with
China's coke import supplier placed at the US Gulf.  The world's rows are the
WORLD tables below.  Sources: ../../../shared/data/world-2024.md (the "sheet"),
cited per row; a figure marked [E] is an estimate, [D] derived from sourced
figures, as in the sheet.  The output is deterministic.

Method for what the sheet does not give (its gaps table):
* smelters by country: the IAI regions' 2024 output split by country from the
  sheet's smelter capacities; an IAI region's residual is an "other" aggregate;
* gross prebaked anode use 0.50 t per t of aluminium outside China
  (Qatalum 0.513 [D]; sheet section 6); RUSAL's Soderberg lines (2.2 Mt [E]
  of 2.3 Mt capacity) use none;
* captive anode plants sized from the smelter where not sourced, and the
  smelters' captive share = own capacity x CAPTIVE_UTILISATION / need, at most
  0.95: what a smelter's own plants make at that utilisation is what it does
  not buy.  The captive capacities not found are what calibrates 2024's
  Chinese exports (the sheet's "net importer volumes" method): see
  docs/calibration.md, "World".
* sea distances: between sea basins (BASIN_KM, estimates of usual routes:
  Malacca, Suez, Panama, the Cape), freight USD 8 + 0.0022 per km per t
  [E] (China's links: 34 USD/t to the Middle East, 48-52 to Europe and North
  America); the Gulf's ports inside the Strait of Hormuz reach the sea
  through the node port_hormuz, so that a Hormuz disruption is a slowdown of
  its links.
"""
import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHINA = os.path.join(HERE, "..", "china-2024")
SHEET = "world-2024.md"
ANODE_PER_T = 0.50
CAPTIVE_UTILISATION = 0.92
SAFETY_DAYS = 20

# region, IAI region, port basin (None: inside the Gulf, via port_hormuz),
# km from the port to the smelters (land leg), land mode, USD/t of that leg
WORLD_REGIONS = [
    ("United Arab Emirates", "GCC", None, 40, "road", 4),
    ("Bahrain", "GCC", None, 30, "road", 4),
    ("Saudi Arabia", "GCC", None, 60, "road", 5),
    ("Qatar", "GCC", None, 40, "road", 4),
    ("Oman", "GCC", "OMN", 20, "road", 3),
    ("Iran", "Estimated Unreported", None, 300, "road", 15),
    ("India", "Asia (ex China)", "SAS", 500, "rail", 20),
    ("Indonesia", "Asia (ex China)", "SEA", 100, "road", 6),
    ("Asia other", "Asia (ex China)", "EA", 150, "road", 8),
    ("Malaysia", "Estimated Unreported", "SEA", 60, "road", 4),
    ("Unreported other", "Estimated Unreported", "MED", 2500, "rail", 70),
    ("Russia", "Russia & Eastern Europe", "EA", 4500, "rail", 110),
    ("Eastern Europe other", "Russia & Eastern Europe", "MED", 300, "road", 15),
    ("Norway", "Western & Central Europe", "NWE", 30, "road", 3),
    ("Iceland", "Western & Central Europe", "NWE", 30, "road", 3),
    ("Netherlands", "Western & Central Europe", "NWE", 30, "road", 3),
    ("Germany", "Western & Central Europe", "NWE", 300, "road", 15),
    ("France", "Western & Central Europe", "NWE", 20, "road", 3),
    ("Europe other", "Western & Central Europe", "MED", 300, "road", 15),
    ("Canada", "North America", "NAM", 150, "road", 8),
    ("United States", "North America", "NAM", 900, "rail", 35),
    ("Brazil", "South America", "SAM", 100, "road", 6),
    ("Argentina", "South America", "SAM", 30, "road", 3),
    ("South Africa", "Africa", "SAF", 20, "road", 3),
    ("Mozambique", "Africa", "SAF", 20, "road", 3),
    ("Egypt", "Africa", "RED", 600, "road", 25),
    ("Africa other", "Africa", "SAF", 300, "road", 15),
    ("Australia", "Oceania", "OCE", 100, "road", 6),
    ("New Zealand", "Oceania", "OCE", 20, "road", 3),
]
# Ports inside the Gulf: km to the Strait of Hormuz (geography, estimates).
INSIDE_GULF_KM = {"United Arab Emirates": 250, "Bahrain": 700, "Saudi Arabia": 800, "Qatar": 550, "Iran": 50}
HORMUZ_BASIN_KM = 100        # port_hormuz to Sohar (outside the Strait)

# Sea km between basins (estimates of the usual route, see the docstring).
BASINS = ["EA", "SEA", "SAS", "OMN", "RED", "MED", "NWE", "NAM", "SAM", "SAF", "OCE"]
BASIN_KM = {
    ("EA", "SEA"): 3500, ("EA", "SAS"): 7500, ("EA", "OMN"): 10300, ("EA", "RED"): 14500, ("EA", "MED"): 16500,
    ("EA", "NWE"): 20000, ("EA", "NAM"): 20500, ("EA", "SAM"): 20000, ("EA", "SAF"): 12500, ("EA", "OCE"): 7500,
    ("SEA", "SAS"): 3500, ("SEA", "OMN"): 6300, ("SEA", "RED"): 9500, ("SEA", "MED"): 11000, ("SEA", "NWE"): 15500,
    ("SEA", "NAM"): 19000, ("SEA", "SAM"): 16000, ("SEA", "SAF"): 9000, ("SEA", "OCE"): 6000,
    ("SAS", "OMN"): 3300, ("SAS", "RED"): 6000, ("SAS", "MED"): 8000, ("SAS", "NWE"): 12500, ("SAS", "NAM"): 16000,
    ("SAS", "SAM"): 14000, ("SAS", "SAF"): 7500, ("SAS", "OCE"): 8500,
    ("OMN", "RED"): 4300, ("OMN", "MED"): 6300, ("OMN", "NWE"): 11300, ("OMN", "NAM"): 14800, ("OMN", "SAM"): 14300,
    ("OMN", "SAF"): 6800, ("OMN", "OCE"): 11300,
    ("RED", "MED"): 1800, ("RED", "NWE"): 6800, ("RED", "NAM"): 10000, ("RED", "SAM"): 12000, ("RED", "SAF"): 7500,
    ("RED", "OCE"): 13000,
    ("MED", "NWE"): 5000, ("MED", "NAM"): 8000, ("MED", "SAM"): 9500, ("MED", "SAF"): 10500, ("MED", "OCE"): 15000,
    ("NWE", "NAM"): 5500, ("NWE", "SAM"): 8500, ("NWE", "SAF"): 11500, ("NWE", "OCE"): 20000,
    ("NAM", "SAM"): 7500, ("NAM", "SAF"): 12500, ("NAM", "OCE"): 19000,
    ("SAM", "SAF"): 7000, ("SAM", "OCE"): 14000,
    ("SAF", "OCE"): 10500,
}
SAME_BASIN_KM = 1500


def basin_km(a, b):
    if a == b:
        return SAME_BASIN_KM
    return BASIN_KM.get((a, b)) or BASIN_KM[(b, a)]


def freight_usd(km):
    return round(8 + 0.0022 * km)


# Smelters: id, region, 2024 aluminium t, growth a year, technology, source.
# IAI 2024 totals (sheet 1a): GCC 6.257, Asia ex China 4.81, unreported 2.41,
# Russia & E. Europe 4.17, W&C Europe 2.83, N. America 3.98, S. America 1.47,
# Africa 1.58, Oceania 1.865 Mt (world 72.758, China 43.38).
SMELTERS = [
    ("smelter_uae", "United Arab Emirates", 2700000, 0.01, "prebake", "[E] EGA, share of GCC 6.257 Mt (IAI 2024); 2.6 Mt cast metal 2019 (davisindex)"),
    ("smelter_bahrain", "Bahrain", 1620000, 0.01, "prebake", "Alba 1.62 Mt (rollingstonebritish 2026: lines 1-3 = 19 % of 1.62 Mt)"),
    ("smelter_saudi_arabia", "Saudi Arabia", 887000, 0.01, "prebake", "[E] Ma'aden Ras Al Khair 740 kt nameplate (womp 2016); rest of GCC 6.257 Mt"),
    ("smelter_qatar", "Qatar", 650000, 0.0, "prebake", "[E] Qatalum 636 kt nameplate (menafn 2026)"),
    ("smelter_oman", "Oman", 400000, 0.0, "prebake", "[E] Sohar 390 kt/yr (ap-technology 2020)"),
    ("smelter_iran", "Iran", 640000, 0.02, "prebake", "Iran ingot >635 kt (menafn, year to Mar 2024); IAI unreported"),
    ("smelter_india", "India", 4200000, 0.03, "prebake", "[E] Vedanta 2.37 Mt, Hindalco, NALCO 460 kt: most of IAI Asia ex China 4.81 Mt"),
    ("smelter_indonesia", "Indonesia", 250000, 0.12, "prebake", "Inalum ~250 kt (2023); growth [E]: Adaro/KAI 500 kt phase 1 from end-2025 (spglobal)"),
    ("smelter_asia_other", "Asia other", 360000, 0.01, "prebake", "[E] residual of IAI Asia ex China 4.81 Mt"),
    ("smelter_malaysia", "Malaysia", 1200000, 0.01, "prebake", "[E] Press Metal 1.08 Mt Samalaju + 120 kt Mukah (the star 2022); IAI unreported"),
    ("smelter_unreported_other", "Unreported other", 570000, 0.0, "prebake", "[D] IAI estimated unreported 2.41 Mt less Malaysia and Iran (Tajikistan, Azerbaijan, Bosnia...)"),
    ("smelter_russia", "Russia", 1700000, 0.01, "prebake", "[E] RUSAL prebake lines (Sayanogorsk, Boguchany, Taishet 428.5 kt stage 1): Russia 3.9 Mt [E] less Soderberg"),
    ("smelter_russia_soderberg", "Russia", 2200000, 0.0, "soderberg", "[E] RUSAL Soderberg 2.3 Mt capacity (aluminiumtoday 2014): KrAZ, NkAZ, IrkAZ, most of BrAZ"),
    ("smelter_eastern_europe_other", "Eastern Europe other", 270000, 0.0, "prebake", "[D] IAI Russia & Eastern Europe 4.17 Mt less Russia 3.9 Mt [E]"),
    ("smelter_norway", "Norway", 1150000, 0.005, "prebake", "[E] Hydro Karmoy 270 kt, Sunndal, Ardal, Hoyanger; Alcoa Mosjoen 190 kt"),
    ("smelter_iceland", "Iceland", 800000, 0.005, "prebake", "[E] Fjardaal, Grundartangi 320 kt (Century), ISAL"),
    ("smelter_germany", "Germany", 200000, 0.0, "prebake", "[E] Hydro Rheinwerk >230 kt nameplate; Trimet partly idle"),
    ("smelter_france", "France", 350000, 0.0, "prebake", "[E] Dunkerque 284 kt (2017, lightmetalage), Saint-Jean-de-Maurienne"),
    ("smelter_europe_other", "Europe other", 330000, 0.0, "prebake", "[D] IAI W&C Europe 2.83 Mt less the countries above (Greece, Sweden, Slovenia, Spain...)"),
    ("smelter_canada", "Canada", 3250000, 0.005, "prebake", "[E] 9 smelters, 3.1 Mt in 2022 (fastmarkets); IAI North America 3.98 Mt"),
    ("smelter_united_states", "United States", 730000, 0.0, "prebake", "[D] IAI North America 3.98 Mt less Canada"),
    ("smelter_brazil", "Brazil", 1030000, 0.02, "prebake", "[E] Albras, Alumar, CBA: IAI South America 1.47 Mt [D] less Argentina"),
    ("smelter_argentina", "Argentina", 440000, 0.01, "prebake", "[E] Aluar"),
    ("smelter_south_africa", "South Africa", 720000, 0.0, "prebake", "South32 Hillside ~720 kt (creamermedia 2025)"),
    ("smelter_mozambique", "Mozambique", 330000, 0.0, "prebake", "Mozal FY24 314 kt, FY25 355 kt (australianmining)"),
    ("smelter_egypt", "Egypt", 320000, 0.0, "prebake", "[E] Egyptalum"),
    ("smelter_africa_other", "Africa other", 210000, 0.0, "prebake", "[D] IAI Africa 1.58 Mt [D] less the countries above (Ghana, Cameroon, Nigeria)"),
    ("smelter_australia", "Australia", 1520000, 0.0, "prebake", "[E] Tomago 590 kt (wikimili), Boyne, Bell Bay, Portland: IAI Oceania 1.865 Mt [D]"),
    ("smelter_new_zealand", "New Zealand", 345000, 0.0, "prebake", "[E] Tiwai Point"),
]

# Plants: id, region, class, t/yr, owner smelter (None: merchant), enterprise, start, source.
PLANTS = [
    ("ega_carbon", "United Arab Emirates", "world_captive", 1200000, "smelter_uae", "ega", "", "EGA own carbon plants ~1.2 Mt/yr, rest imported (zawya 2023)"),
    ("sunstone_ega", "United Arab Emirates", "world_merchant", 300000, None, "sunstone", "2028-01-01", "Sunstone-EGA JV phase 1 300 kt/yr, start-up 2028 (wn.com)"),
    ("alba_carbon", "Bahrain", "world_captive", 760000, "smelter_bahrain", "alba", "", "[E] sized from the smelter (capacity not found); Alba buys from China (sheet 3a)"),
    ("maaden_carbon", "Saudi Arabia", "world_captive", 450000, "smelter_saudi_arabia", "maaden", "", "[E] sized from the smelter (carbon-plant size not found)"),
    ("qatalum_carbon", "Qatar", "world_captive", 300000, "smelter_qatar", "qatalum", "", "Qatalum carbon plant ~300 kt/yr (qatalum.com)"),
    ("sohar_carbon", "Oman", "world_captive", 200000, "smelter_oman", "sohar_aluminium", "", "[E] sized from the smelter"),
    ("sanvira_sohar", "Oman", "world_merchant", 300000, None, "sanvira", "2025-04-01", "Sanvira Tech ~300 kt/yr merchant, qualification Q2 2025 (zawya; alu-news)"),
    ("iran_carbon", "Iran", "world_captive", 280000, "smelter_iran", "iran_smelters", "", "[E] sized from the smelter"),
    ("india_carbon", "India", "world_captive", 2250000, "smelter_india", "india_smelters", "", "[E] NALCO integrated plant, Vedanta, Hindalco: sized so that India buys ~0.3 Mt"),
    ("inalum_carbon", "Indonesia", "world_captive", 130000, "smelter_indonesia", "inalum", "", "[E] sized from the smelter"),
    ("asia_other_carbon", "Asia other", "world_captive", 130000, "smelter_asia_other", "asia_other_smelters", "", "[E] half of the residual's need"),
    ("pressmetal_carbon", "Malaysia", "world_captive", 250000, "smelter_malaysia", "press_metal", "", "[E] part of Press Metal's need; Malaysia largest buyer of Chinese anodes in 2020-21 (sheet 3a)"),
    ("unreported_carbon", "Unreported other", "world_captive", 200000, "smelter_unreported_other", "unreported_smelters", "", "[E] about 60 % of the aggregate's need"),
    ("rusal_taishet", "Russia", "world_captive", 457000, "smelter_russia", "rusal", "", "Taishet anode plant: baking 227 -> 457 kt/yr with the 2nd furnace (finobzor)"),
    ("rusal_carbon_other", "Russia", "world_captive", 300000, "smelter_russia", "rusal", "", "[E] RUSAL's other prebake carbon plants (Sayanogorsk, Volgograd)"),
    ("eastern_europe_carbon", "Eastern Europe other", "world_captive", 120000, "smelter_eastern_europe_other", "eastern_europe_smelters", "", "[E] sized from the smelter"),
    ("hydro_ardal", "Norway", "world_captive", 220000, "smelter_norway", "hydro", "", "Hydro Ardal carbon plant 190 -> 220 kt/yr (porten.no 2017)"),
    ("hydro_sunndal", "Norway", "world_captive", 130000, "smelter_norway", "hydro", "", "[E] Hydro buys ~25 % of its ~600 kt (Sanvira contract, alu-news 2023)"),
    ("alcoa_mosjoen", "Norway", "world_captive", 100000, "smelter_norway", "alcoa", "", "Alcoa Mosjoen Anode: 100 kt of its 290 kt for Mosjoen (alcoa.com)"),
    ("alcoa_mosjoen_fjardaal", "Norway", "world_captive", 190000, "smelter_iceland", "alcoa", "", "Alcoa Mosjoen Anode: 190 kt of its 290 kt for Fjardaal, Iceland (alcoa.com)"),
    ("century_vlissingen", "Netherlands", "world_captive", 150000, "smelter_iceland", "century", "", "Century Vlissingen 150 kt/yr, supplies Grundartangi (SEC 2015)"),
    ("germany_carbon", "Germany", "world_captive", 100000, "smelter_germany", "germany_smelters", "", "[E] Rheinwerk makes its own anodes (hydro.com)"),
    ("dunkerque_carbon", "France", "world_captive", 150000, "smelter_france", "france_smelters", "", "[E] Dunkerque's own anode area (lightmetalage 2018)"),
    ("europe_other_carbon", "Europe other", "world_captive", 140000, "smelter_europe_other", "europe_other_smelters", "", "[E] sized from the smelters"),
    ("canada_carbon", "Canada", "world_captive", 1500000, "smelter_canada", "canada_smelters", "", "[E] Rio Tinto Saguenay, Alouette bake their own; Baie-Comeau buys Chinese anodes (sheet 2b)"),
    ("us_carbon", "United States", "world_captive", 380000, "smelter_united_states", "us_smelters", "", "[E] US smelters make their own anodes (Century)"),
    ("brazil_carbon", "Brazil", "world_captive", 500000, "smelter_brazil", "brazil_smelters", "", "[E] sized from the smelters"),
    ("aluar_carbon", "Argentina", "world_captive", 220000, "smelter_argentina", "aluar", "", "[E] sized from the smelter"),
    ("hillside_carbon", "South Africa", "world_captive", 360000, "smelter_south_africa", "south32", "", "[E] sized from the smelter"),
    ("mozal_carbon", "Mozambique", "world_captive", 165000, "smelter_mozambique", "south32", "", "[E] sized from the smelter"),
    ("egyptalum_carbon", "Egypt", "world_captive", 150000, "smelter_egypt", "egyptalum", "", "[E] sized from the smelter"),
    ("africa_other_carbon", "Africa other", "world_captive", 80000, "smelter_africa_other", "africa_other_smelters", "", "[E] sized from the smelters"),
    ("australia_carbon", "Australia", "world_captive", 800000, "smelter_australia", "australia_smelters", "", "[E] sized from the smelters"),
    ("tiwai_carbon", "New Zealand", "world_captive", 160000, "smelter_new_zealand", "tiwai", "", "[E] sized from the smelter"),
]
MERCHANTS = {"sanvira": "Sanvira Tech (Oman), merchant (zawya 2024)"}

# Suppliers outside China: id, commodity, region, t/yr, USD/t, source.
SUPPLIERS = [
    ("cpc_gulf", "cpc", "Oman", 1500000, 380, "[E] Gulf calciners: Alba 600 kt/yr (foundry-planet), Sanvira's (Nov 2022); below US Gulf CPC on freight"),
    ("cpc_india", "cpc", "India", 2000000, 410, "[E] Rain CII Vizag, other Indian calciners and imported CPC"),
    ("pitch_europe", "pitch", "Netherlands", 1500000, 800, "[E] coal tar pitch, NW Europe: CTP 40-52 % of LME per t (CRU 2018-20) at a 2024 low"),
    ("pitch_us", "pitch", "United States", 800000, 800, "[E] as pitch_europe"),
    ("pitch_india", "pitch", "India", 400000, 760, "[E] Rain's Andhra Pradesh pitch plant (argusmedia)"),
]
# China's import supplier (cpc_import, "World (imports)") becomes the US Gulf.
CPC_US = ("cpc_us", "United States", 12000000, "[E] US Gulf CPC (3 % S) and the other calciners outside China (Rain alone >2.4 Mt, about 10 % of the world's need): ample; price as china-2024's cpc_import")


def rows(path):
    with open(path, newline="") as f:
        lines = [l for l in f if not l.startswith("#") and l.strip()]
    return list(csv.DictReader(lines))


def slug(region):
    return region.lower().replace(" ", "_")


class Table:
    def __init__(self, name, header, comment):
        self.name, self.header = name, header
        self.buf = io.StringIO()
        self.w = csv.writer(self.buf, lineterminator="\n")
        for line in comment:
            self.buf.write("# " + line + "\n")
        self.w.writerow(header)

    def row(self, values):
        if isinstance(values, dict):
            values = [values.get(h, "") for h in self.header]
        self.w.writerow(values)

    def text(self):
        return self.buf.getvalue()


GEN = "Generated by build_world.py from ../china-2024 and its WORLD tables: edit those, not this file."


def build():
    china = {k: rows(os.path.join(CHINA, k + ".csv")) for k in
             ("regions", "plants", "smelters", "suppliers", "ports", "owners", "links", "price_history")}
    t = {}
    # regions
    reg = Table("regions", ["region", "kind", "iai_region", "lat", "lon", "source"],
                [GEN, "kind: province (of China) or world (a country, or an IAI region's residual); iai_region: where it reports (IAI)."])
    for r in china["regions"]:
        reg.row([r["region"], "province", "China", r["lat"], r["lon"], r["source"]])
    for name, iai, *_ in WORLD_REGIONS:
        reg.row([name, "world", iai, "", "", SHEET + " section 1a (IAI 2024)"])
    t["regions"] = reg
    # smelters
    need = {}
    own = {}
    for p in PLANTS:
        if p[4]:
            own[p[4]] = own.get(p[4], 0) + p[3]
    sm = Table("smelters", ["id", "region", "al_tpy", "captive_share", "growth_per_year", "technology", "anode_per_t", "safety_days", "source"],
               [GEN, "China's provinces from ../china-2024 (anode_per_t: the scenario's 0.475); the world's from " + SHEET + ".",
                "anode_per_t outside China: 0.50 [E] (Qatalum 0.513 [D]); Soderberg smelters use no prebaked anodes.",
                f"captive_share outside China: own plants' capacity x {CAPTIVE_UTILISATION} / need, at most 0.95 (estimate).",
                f"safety_days outside China: {SAFETY_DAYS} days of cover more than in China (estimate: supply by sea is less even)."])
    for r in china["smelters"]:
        sm.row({**r, "technology": "prebake"})
    for sid, region, al, growth, tech, src in SMELTERS:
        prebake = tech == "prebake"
        need[sid] = al * ANODE_PER_T if prebake else 0
        cs = min(0.95, own.get(sid, 0) * CAPTIVE_UTILISATION / need[sid]) if prebake and own.get(sid) else 0.0
        sm.row([sid, region, al, f"{cs:.3f}", growth, tech, ANODE_PER_T if prebake else "", SAFETY_DAYS if prebake else "", src])
    t["smelters"] = sm
    # plants
    pl = Table("plants", ["id", "region", "class", "capacity_tpy", "owner", "enterprise", "start", "end", "source"],
               [GEN, "China's plants from ../china-2024; the world's: " + SHEET + " section 2 ([E]: sized from the smelter, not found)."])
    for r in china["plants"]:
        pl.row(r)
    for pid, region, cls, cap, owner, ent, start, src in PLANTS:
        pl.row([pid, region, cls, cap, owner or "", ent, start, "", src])
    t["plants"] = pl
    # owners
    ow = Table("owners", ["id", "kind", "source"], [GEN])
    for r in china["owners"]:
        ow.row(r)
    seen = {r["id"] for r in china["owners"]}
    for pid, region, cls, cap, owner, ent, start, src in PLANTS:
        if ent in seen:
            continue
        seen.add(ent)
        kind = "smelter_group" if owner else "merchant"
        ow.row([ent, kind, MERCHANTS.get(ent, f"captive plants of {ent.replace('_', ' ')} ({SHEET})")])
    t["owners"] = ow
    # suppliers
    su = Table("suppliers", ["id", "commodity", "region", "capacity_tpy", "price", "currency", "source"],
               [GEN, "China's suppliers from ../china-2024 (its import supplier placed at the US Gulf as cpc_us); the world's: estimates."])
    for r in china["suppliers"]:
        if r["id"] == "cpc_import":
            r = {**r, "id": CPC_US[0], "region": CPC_US[1], "capacity_tpy": CPC_US[2], "source": CPC_US[3]}
        su.row(r)
    for sid, com, region, cap, usd, src in SUPPLIERS:
        su.row([sid, com, region, cap, usd, "USD", src])
    t["suppliers"] = su
    # ports
    po = Table("ports", ["id", "region", "source"], [GEN, "One port per country outside China (its main anode port, estimate); port_hormuz: the Strait."])
    for r in china["ports"]:
        po.row(r)
    ports = {}
    for name, iai, basin, *_ in WORLD_REGIONS:
        pid = "port_" + slug(name)
        ports[name] = (pid, basin)
        po.row([pid, name, "estimate (the country's anode port)"])
    po.row(["port_hormuz", "Oman", "the Strait of Hormuz (Musandam, Oman): ships to the Gulf's inner ports pass it"])
    t["ports"] = po
    # links
    li = Table("links", ["from", "to", "mode", "distance_km", "lead_days", "lead_cv", "capacity_tpd", "cost_per_t", "cost_currency", "source"],
               [GEN, "Every row outside China is an estimate; sea freight USD 8 + 0.0022/km per t between basins (build_world.py)."])
    markets = {r["id"] for r in rows(os.path.join(CHINA, "markets.csv"))}
    for r in china["links"]:
        if r["to"] in markets or r["from"] in markets:
            continue
        if r["from"] == "cpc_import":
            r = {**r, "from": CPC_US[0]}
        li.row(r)
    world_plants = {}
    for p in PLANTS:
        world_plants.setdefault(p[1], []).append(p)
    world_smelters = {}
    for s in SMELTERS:
        world_smelters.setdefault(s[1], []).append(s)

    def link(a, b, mode, km, usd, note):
        li.row([a, b, mode, km, "", "", "", usd, "USD", note])

    for name, iai, basin, km, mode, usd in WORLD_REGIONS:
        pid = ports[name][0]
        for s in world_smelters.get(name, []):
            if s[4] == "prebake":
                link(pid, s[0], mode, km, usd, "estimate (port to the smelters)")
        for p in world_plants.get(name, []):
            link(p[0], pid, "road", 30, 3, "estimate (plant to port)")
            link(pid, p[0], "road", 30, 3, "estimate (raw materials from the port)")
            for s in world_smelters.get(name, []):
                if s[4] == "prebake":
                    link(p[0], s[0], "road", 30, 3, "estimate (plant at the smelter)")
    for sid, com, region, cap, usd, src in SUPPLIERS + [(CPC_US[0], "cpc", CPC_US[1], 0, 0, "")]:
        link(sid, ports[region][0], "road", 50, 3, "estimate (supplier to its port)")
        for p in world_plants.get(region, []):
            link(sid, p[0], "road", 50, 3, "estimate (supplier to a plant nearby)")
    # sea: China's ports to every port outside the Gulf and to the Strait
    china_ports = [r["id"] for r in china["ports"]]
    outside = [(n, pid, b) for n, (pid, b) in ports.items() if b is not None]
    inside = [(n, pid) for n, (pid, b) in ports.items() if b is None]
    for cp in china_ports:
        for n, pid, b in outside:
            km = basin_km("EA", b)
            link(cp, pid, "sea", km, freight_usd(km), "estimate (sea route from China, basin distance)")
        km = basin_km("EA", "OMN") + HORMUZ_BASIN_KM
        link(cp, "port_hormuz", "sea", km, freight_usd(km), "estimate (sea route from China to the Strait)")
    for n1, p1, b1 in outside:
        for n2, p2, b2 in outside:
            if p1 != p2:
                km = basin_km(b1, b2)
                link(p1, p2, "sea", km, freight_usd(km), "estimate (basin distance)")
        km = basin_km(b1, "OMN") + HORMUZ_BASIN_KM if b1 != "OMN" else HORMUZ_BASIN_KM
        link(p1, "port_hormuz", "sea", km, freight_usd(km), "estimate (to the Strait)")
        link("port_hormuz", p1, "sea", km, freight_usd(km), "estimate (from the Strait)")
    for n1, p1 in inside:
        km = INSIDE_GULF_KM[n1]
        link("port_hormuz", p1, "sea", km, freight_usd(km), "estimate (through the Strait to an inner Gulf port)")
        link(p1, "port_hormuz", "sea", km, freight_usd(km), "estimate (from an inner Gulf port to the Strait)")
        for n2, p2 in inside:
            if p1 != p2:
                km = abs(INSIDE_GULF_KM[n1] - INSIDE_GULF_KM[n2]) + 150
                link(p1, p2, "sea", km, freight_usd(km), "estimate (within the Gulf)")
    t["links"] = li
    # price history: China's
    ph = Table("price_history", ["month", "item", "price"], [GEN, "China's recorded prices (../china-2024/price_history.csv): world prices are taken to move with them (estimate)."])
    for r in china["price_history"]:
        ph.row([r["month"], r["item"], r["price"]])
    t["price_history"] = ph
    return t


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, table in build().items():
        path = os.path.join(HERE, name + ".csv")
        text = table.text()
        if check:
            try:
                with open(path) as f:
                    if f.read() != text:
                        stale.append(name)
            except OSError:
                stale.append(name)
        else:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("build_world.py --check: stale tables " + ", ".join(stale) + " (run python3 build_world.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

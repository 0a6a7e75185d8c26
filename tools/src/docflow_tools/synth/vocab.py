"""Words invoices are made of, per locale: labels, months, names, places, goods and services.

Labels list the alternatives real invoices of each country use; a document draws one of each
and keeps it. A label listed twice is drawn twice as often.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from docflow_tools.synth.formats import Currency, DateFormat, Months, NumberStyle, Placement

Paper = Literal["a4", "letter"]


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    """Word lists written as one string, as they read best."""
    return tuple(text.split(separator))


EN_MONTHS: Final = Months(
    long=_words(
        "January February March April May June July August September October November December"
    ),
    short=_words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
)
DE_MONTHS: Final = Months(
    long=_words(
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
    ),
    short=_words("Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez."),
)
FR_MONTHS: Final = Months(
    long=_words(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    short=_words("janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc."),
)
NL_MONTHS: Final = Months(
    long=_words(
        "januari februari maart april mei juni juli augustus september oktober november december"
    ),
    short=_words("jan feb mrt apr mei jun jul aug sep okt nov dec"),
)
ES_MONTHS: Final = Months(
    long=_words(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    short=_words("ene feb mar abr may jun jul ago sep oct nov dic"),
)

COMMA_DOT: Final = NumberStyle(group=",", decimal=".")
DOT_COMMA: Final = NumberStyle(group=".", decimal=",")
SPACE_COMMA: Final = NumberStyle(group="\u00a0", decimal=",")
PLAIN_COMMA: Final = NumberStyle(group="", decimal=",")
LAKH: Final = NumberStyle(group=",", decimal=".", indian=True)

USD: Final = Currency("USD", "$")
GBP: Final = Currency("GBP", "£")
EUR: Final = Currency("EUR", "€")
EUR_SPACED: Final = Currency("EUR", "€", spaced=True)
#: Standard PDF fonts have no rupee sign; Indian invoices printed with them write "Rs.".
INR: Final = Currency("INR", "Rs.", spaced=True)


@dataclass(frozen=True)
class Item:
    """A good or service: description, unit, price range, and how quantities come."""

    description: str
    unit: str
    low: Decimal
    high: Decimal
    quantities: Literal["hours", "count", "one", "bulk"]


@dataclass(frozen=True)
class Locale:
    tag: str
    country: str
    paper: Paper
    months: Months
    dates: tuple[DateFormat, ...]
    numbers: tuple[NumberStyle, ...]
    currencies: tuple[Currency, ...]
    placements: tuple[Placement, ...]
    tax_rates: tuple[Decimal, ...]
    legal_forms: tuple[str, ...]
    labels: dict[str, tuple[str, ...]]
    items: tuple[Item, ...]
    company_words: tuple[str, ...]
    trades: tuple[str, ...]
    surnames: tuple[str, ...]
    first_names: tuple[str, ...]
    streets: tuple[str, ...]
    #: (postcode pattern, city, region): "#" a digit, "A" a capital letter.
    cities: tuple[tuple[str, str, str], ...]
    phone: str
    number_prefixes: tuple[str, ...] = field(default=("",))


def _items(rows: str) -> tuple[Item, ...]:
    """``description|unit|low|high|quantities`` per line."""
    items = []
    for row in rows.strip().splitlines():
        description, unit, low, high, quantities = (part.strip() for part in row.split("|"))
        items.append(
            Item(description, unit, Decimal(low), Decimal(high), quantities)  # type: ignore[arg-type]
        )
    return tuple(items)


_EN_ITEMS: Final = _items("""
Consulting services|hrs|65|240|hours
Software development|hrs|70|180|hours
Website maintenance (monthly)|month|49|450|one
Cloud hosting - Standard plan|month|9.99|299|one
Project management|hrs|55|150|hours
Annual software licence|each|99|2400|one
Laptop docking station USB-C|pcs|79|289|count
Office chair, ergonomic|pcs|149|690|count
A4 copy paper, 80 g, box of 5 reams|box|18.5|42|count
Toner cartridge black|pcs|39|189|count
Graphic design - logo package|item|250|1800|one
Delivery and installation|item|45|350|one
Training workshop (1 day)|day|450|1900|count
Stainless steel bolts M8 x 40|pcs|0.12|0.9|bulk
Shipping boxes, double wall|pcs|0.85|4.2|bulk
Monthly support retainer|month|300|2500|one
Translation services|words|0.08|0.22|bulk
Photography - half day session|item|350|950|one
Wireless keyboard and mouse set|pcs|29|99|count
Domain registration (1 year)|each|8.99|45|count
Network cabling, Cat6|m|0.9|3.5|bulk
Catering - lunch buffet|person|12.5|45|bulk
""")
_DE_ITEMS: Final = _items("""
Beratungsleistung|Std.|75|220|hours
Softwareentwicklung|Std.|80|160|hours
Wartungsvertrag Heizungsanlage|psch.|120|680|one
Montagearbeiten|Std.|48|95|hours
Webhosting Business-Tarif|Monat|9.9|89|one
Druckerpatrone schwarz|Stk.|24|119|count
Kopierpapier A4, 80 g, 500 Blatt|Pack|4.5|9.9|count
Bürostuhl ergonomisch|Stk.|189|740|count
Anfahrtspauschale|psch.|25|79|one
Schulung Datenschutz (Tagessatz)|Tag|650|1800|count
Fliesenarbeiten Bad|m²|35|95|bulk
Reinigung Büroräume|Std.|24|42|hours
Übersetzung Deutsch-Englisch|Normzeile|1.2|2.4|bulk
Grafikdesign Flyer|psch.|180|950|one
Schrauben Edelstahl M6x30|Stk.|0.08|0.45|bulk
Transport und Entsorgung|psch.|60|390|one
Lizenz Buchhaltungssoftware (1 Jahr)|Stk.|99|890|count
Monitor 27 Zoll|Stk.|189|520|count
""")
_FR_ITEMS: Final = _items("""
Prestation de conseil|h|70|220|hours
Développement logiciel|jour|420|950|count
Maintenance informatique mensuelle|forfait|90|650|one
Hébergement site web - offre Pro|mois|9.9|79|one
Cartouche d'encre noire|u.|22|98|count
Ramette papier A4 80 g|u.|4.2|8.9|count
Fauteuil de bureau ergonomique|u.|169|690|count
Frais de déplacement|forfait|30|180|one
Formation bureautique (journée)|jour|450|1400|count
Travaux de peinture|m²|18|45|bulk
Nettoyage des locaux|h|22|38|hours
Traduction anglais-français|mot|0.07|0.18|bulk
Création graphique - charte|forfait|400|2200|one
Installation et mise en service|forfait|80|450|one
Abonnement logiciel de gestion|mois|19|149|one
Écran 27 pouces|u.|179|490|count
""")
_NL_ITEMS: Final = _items("""
Advieswerkzaamheden|uur|70|175|hours
Softwareontwikkeling|uur|75|150|hours
Onderhoudscontract cv-ketel|st.|95|320|one
Webhosting Zakelijk pakket|maand|7.5|69|one
Inktcartridge zwart|st.|19|89|count
Printpapier A4 80 grams|pak|4.5|9.5|count
Bureaustoel ergonomisch|st.|159|640|count
Voorrijkosten|st.|25|75|one
Training Excel gevorderden|dag|395|1200|count
Schilderwerk binnen|m²|14|38|bulk
Schoonmaakwerkzaamheden|uur|25|40|hours
Vertaling Engels-Nederlands|woord|0.08|0.2|bulk
Ontwerp huisstijl|st.|450|2500|one
Montage en installatie|uur|45|85|hours
Licentie boekhoudsoftware (jaar)|st.|120|790|count
""")
_ES_ITEMS: Final = _items("""
Servicios de consultoría|h|50|180|hours
Desarrollo de software|h|45|120|hours
Mantenimiento informático mensual|mes|80|600|one
Alojamiento web - plan Empresa|mes|6.95|59|one
Cartucho de tinta negra|ud.|18|85|count
Papel A4 80 g (paquete 500 hojas)|ud.|3.9|8.5|count
Silla de oficina ergonómica|ud.|129|590|count
Gastos de desplazamiento|ud.|20|150|one
Curso de formación (jornada)|día|350|1100|count
Trabajos de pintura|m²|9|28|bulk
Limpieza de oficinas|h|14|26|hours
Traducción inglés-español|palabra|0.06|0.15|bulk
Diseño de identidad corporativa|ud.|300|1800|one
Instalación y puesta en marcha|ud.|60|380|one
Licencia software de gestión (anual)|ud.|90|720|count
""")
_IN_ITEMS: Final = _items("""
IT consulting services|hrs|1500|6500|hours
Annual maintenance contract (AMC)|nos|4500|48000|one
Web hosting - Business plan (12 months)|nos|2999|18999|one
Printer cartridge 88A|nos|650|3900|count
A4 paper ream 75 GSM|ream|210|390|count
Office chair - mesh back|nos|3200|14500|count
Freight and handling charges|nos|250|2500|one
Cotton T-shirt, round neck|pcs|180|650|bulk
Stainless steel water bottle 1L|pcs|240|890|count
Installation charges|nos|500|4500|one
Room charges (deluxe)|night|1800|7500|count
Software development services|hrs|900|3500|hours
LED bulb 9W|pcs|65|190|bulk
""")

_EN_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "detail": ("SKU ", "S/N ", "Ref. ", "Part no. ", ""),
    "subtotal_gross": ("Subtotal",),
    "title": ("INVOICE", "Invoice", "Invoice", "TAX INVOICE", "Sales Invoice"),
    "number": ("Invoice No.", "Invoice #", "Invoice Number", "Invoice number", "Inv. No.",
               "Invoice no:"),
    "date": ("Invoice Date", "Date", "Date of issue", "Issue date", "Invoice date"),
    "due": ("Due Date", "Payment Due", "Due date", "Date due", "Pay by"),
    "order_date": ("Order Date", "Order date", "PO Date"),
    "delivery": ("Delivery Date", "Ship Date", "Date of supply", "Tax point"),
    "period": ("Service period", "Billing period", "Period"),
    "order": ("Order No.", "PO Number", "Purchase Order", "Order #", "Your ref."),
    "customer_no": ("Customer ID", "Account No.", "Customer No.", "Client ref."),
    "delivery_note": ("Delivery Note", "Packing slip", "Dispatch No."),
    "vat_id": ("VAT Reg. No.", "VAT No.", "Tax ID", "EIN"),
    "bill_to": ("Bill To", "BILL TO", "Billed to", "Invoice to", "Customer"),
    "ship_to": ("Ship To", "SHIP TO", "Deliver to", "Delivery address"),
    "from": ("From", "Seller", "Supplier"),
    "pos": ("#", "No.", "Item"),
    "description": ("Description", "DESCRIPTION", "Item description", "Product / Service"),
    "qty": ("Qty", "Quantity", "QTY", "Hours/Qty"),
    "unit": ("Unit", "UoM"),
    "unit_price": ("Unit Price", "Rate", "Price", "Unit cost"),
    "tax_rate": ("VAT %", "Tax", "Tax %"),
    "line_total": ("Amount", "Total", "Line Total", "AMOUNT"),
    "subtotal": ("Subtotal", "Sub-total", "Subtotal", "Net total", "Total excl. VAT"),
    "discount": ("Discount", "Less discount", "Discount ({pct}%)"),
    "shipping": ("Shipping", "Shipping & handling", "Delivery", "Freight"),
    "tax": ("VAT @ {rate}%", "VAT ({rate}%)", "Tax ({rate}%)", "Sales Tax {rate}%"),
    "tax_included": ("incl. VAT {rate}%", "Includes VAT at {rate}%"),
    "total": ("Total", "TOTAL", "Total Due", "Amount Due", "Grand Total", "Invoice Total",
              "Total ({code})", "Balance Due"),
    "paid": ("Amount Paid", "Paid", "Payment received"),
    "balance": ("Balance Due", "Amount Outstanding", "Balance"),
    "page": ("Page {n} of {of}", "Page {n}/{of}", "{n} / {of}"),
    "terms": ("Payment terms: {days} days net", "Terms: Net {days}",
              "Payment is due within {days} days.",
              "Please pay within {days} days of the invoice date."),
    "due_sentence": ("{amount} due {due}", "Please pay {amount} by {due}."),
    "thanks": ("Thank you for your business!", "Thank you for your order.",
               "We appreciate your business.", ""),
    "bank": ("Bank", "Bank details", "Payment details"),
    "phone": ("Tel", "Phone", "T"),
    "email": ("Email", "E"),
    "continued": ("Continued on next page", "continued ..."),
    "reverse": ("Reverse charge: VAT to be accounted for by the recipient.",),
    "paid_note": ("Paid by card on {date}. Thank you.", "This invoice has been paid in full."),
}  # fmt: skip

#: American invoices charge sales tax, not VAT, and seldom say "tax invoice".
_US_LABELS: Final[dict[str, tuple[str, ...]]] = {
    **_EN_LABELS,
    "title": ("INVOICE", "Invoice", "Invoice", "Sales Invoice"),
    "vat_id": ("EIN", "Tax ID", "Federal Tax ID"),
    "tax_rate": ("Tax", "Taxable"),
    "subtotal": ("Subtotal", "Sub-total", "Subtotal", "Merchandise total"),
    "tax": ("Sales Tax ({rate}%)", "Tax ({rate}%)", "Sales tax {rate}%", "Tax @ {rate}%"),
    "tax_included": ("incl. tax {rate}%",),
    "delivery": ("Ship Date", "Delivery Date", "Date shipped"),
    "reverse": ("Tax exempt - resale certificate on file.",),
}  # fmt: skip

_DE_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "detail": ("Art.-Nr. ", "Artikelnr. ", "S/N ", ""),
    "subtotal_gross": ("Zwischensumme",),
    "title": ("Rechnung", "RECHNUNG", "Rechnung"),
    "number": ("Rechnungsnr.", "Rechnungsnummer", "Rechnung Nr.", "Re.-Nr.", "Belegnummer"),
    "date": ("Rechnungsdatum", "Datum", "Rechnungsdatum", "Belegdatum"),
    "due": ("Fällig am", "Zahlbar bis", "Fälligkeitsdatum"),
    "order_date": ("Bestelldatum", "Auftragsdatum"),
    "delivery": ("Lieferdatum", "Leistungsdatum"),
    "period": ("Leistungszeitraum", "Abrechnungszeitraum"),
    "order": ("Auftragsnummer", "Bestellnummer", "Ihre Bestellung", "Auftrag Nr."),
    "customer_no": ("Kundennummer", "Kunden-Nr.", "Kd.-Nr.", "Debitor"),
    "delivery_note": ("Lieferschein-Nr.", "Lieferschein"),
    "vat_id": ("USt-IdNr.", "USt-ID", "USt-IdNr.", "UID"),
    "bill_to": ("Rechnungsempfänger", "Rechnungsadresse", "Kunde"),
    "ship_to": ("Lieferadresse", "Lieferanschrift"),
    "from": ("Absender", "Rechnungssteller"),
    "pos": ("Pos.", "Pos", "Nr."),
    "description": ("Bezeichnung", "Beschreibung", "Artikel / Leistung", "Leistung"),
    "qty": ("Menge", "Anzahl", "Menge"),
    "unit": ("Einheit", "ME"),
    "unit_price": ("Einzelpreis", "E-Preis", "Preis/Einheit"),
    "tax_rate": ("USt.", "MwSt. %", "USt %"),
    "line_total": ("Gesamtpreis", "Betrag", "Gesamt", "G-Preis"),
    "subtotal": ("Zwischensumme", "Nettobetrag", "Summe netto", "Gesamt netto"),
    "discount": ("Rabatt", "Nachlass", "Rabatt {pct} %"),
    "shipping": ("Versandkosten", "Fracht", "Versand"),
    "tax": ("zzgl. {rate} % MwSt.", "USt. {rate} %", "MwSt. {rate}%", "Umsatzsteuer {rate} %"),
    "tax_included": ("enthaltene MwSt. {rate} %", "darin enthalten {rate} % USt."),
    "total": ("Gesamtbetrag", "Rechnungsbetrag", "Endbetrag", "Gesamtsumme", "Summe brutto",
              "Zu zahlender Betrag"),
    "paid": ("Bereits bezahlt", "Erhaltene Zahlung"),
    "balance": ("Offener Betrag", "Restbetrag"),
    "page": ("Seite {n} von {of}", "Seite {n}/{of}"),
    "terms": ("Zahlbar innerhalb von {days} Tagen ohne Abzug.", "Zahlungsziel: {days} Tage netto.",
              "Bitte überweisen Sie den Rechnungsbetrag innerhalb von {days} Tagen."),
    "due_sentence": ("Bitte überweisen Sie {amount} bis zum {due} auf unser unten genanntes "
                     "Konto.",),
    "thanks": ("Vielen Dank für Ihren Auftrag!", "Wir danken für Ihr Vertrauen.", ""),
    "greeting": ("Sehr geehrte Damen und Herren,",),
    "intro": ("wir erlauben uns, Ihnen folgende Leistungen in Rechnung zu stellen:",
              "vielen Dank für Ihren Auftrag. Wir berechnen Ihnen wie folgt:"),
    "bank": ("Bankverbindung", "Bank"),
    "phone": ("Tel.", "Telefon", "Fon"),
    "email": ("E-Mail", "Mail"),
    "continued": ("Fortsetzung auf der nächsten Seite", "Übertrag"),
    "reverse": ("Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge).",),
    "small_business": ("Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.",),
    "paid_note": ("Der Betrag wurde bereits per PayPal beglichen.", "Betrag dankend erhalten."),
    "director": ("Geschäftsführer", "Geschäftsführung", "Inhaber"),
    "register": ("Amtsgericht {city}, HRB {num}", "Registergericht {city} HRB {num}"),
    "heading_sentence": ("Rechnung Nr. {number} vom {date}",),
}  # fmt: skip

_FR_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "detail": ("Réf. ", "Code article ", "N° série ", ""),
    "subtotal_gross": ("Sous-total",),
    "title": ("FACTURE", "Facture", "Facture"),
    "number": ("N° de facture", "Facture n°", "Numéro de facture", "N° facture", "Réf. facture"),
    "date": ("Date de facture", "Date d'émission", "Date", "Date de facturation"),
    "due": ("Date d'échéance", "Échéance", "À régler avant le"),
    "order_date": ("Date de commande",),
    "delivery": ("Date de livraison", "Date de prestation"),
    "period": ("Période", "Période de facturation"),
    "order": ("N° de commande", "Réf. commande", "Bon de commande", "Votre référence"),
    "customer_no": ("N° client", "Code client", "Réf. client"),
    "delivery_note": ("Bon de livraison", "BL n°"),
    "vat_id": ("N° TVA intracom.", "TVA intracommunautaire", "N° TVA"),
    "bill_to": ("Facturé à", "Client", "Adresse de facturation", "Destinataire"),
    "ship_to": ("Livré à", "Adresse de livraison"),
    "from": ("Émetteur", "Vendeur"),
    "pos": ("N°", "Réf."),
    "description": ("Désignation", "Description", "Libellé", "Désignation"),
    "qty": ("Qté", "Quantité"),
    "unit": ("Unité", "U."),
    "unit_price": ("Prix unitaire HT", "P.U. HT", "Prix unit."),
    "tax_rate": ("TVA", "Taux TVA"),
    "line_total": ("Montant HT", "Total HT", "Montant"),
    "subtotal": ("Total HT", "Sous-total", "Montant HT", "Total hors taxes"),
    "discount": ("Remise", "Remise {pct} %", "Escompte"),
    "shipping": ("Frais de port", "Frais de livraison"),
    "tax": ("TVA {rate} %", "TVA ({rate} %)", "TVA à {rate} %"),
    "tax_included": ("dont TVA {rate} %",),
    "total": ("Total TTC", "Net à payer", "Montant TTC", "Total à payer", "TOTAL TTC"),
    "paid": ("Déjà réglé", "Acompte versé", "Payé"),
    "balance": ("Reste à payer", "Solde dû"),
    "page": ("Page {n}/{of}", "Page {n} sur {of}"),
    "terms": ("Paiement à {days} jours.", "Conditions de paiement : {days} jours net.",
              "Règlement à {days} jours date de facture."),
    "due_sentence": ("Montant à régler : {amount} avant le {due}.",),
    "thanks": ("Merci pour votre confiance.", "Nous vous remercions de votre commande.", ""),
    "bank": ("Coordonnées bancaires", "Banque", "RIB"),
    "phone": ("Tél.", "Tél", "Téléphone"),
    "email": ("E-mail", "Courriel"),
    "continued": ("Suite page suivante", "À reporter"),
    "reverse": ("Autoliquidation - TVA due par le preneur (art. 283-2 du CGI).",),
    "small_business": ("TVA non applicable, art. 293 B du CGI.",),
    "paid_note": ("Facture acquittée par carte bancaire.",),
    "late": ("En cas de retard de paiement, une indemnité forfaitaire de 40 € pour frais de "
             "recouvrement sera exigée.",),
    "capital": ("{form} au capital de {capital} €",),
}  # fmt: skip

_NL_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "detail": ("Art.nr. ", "Artikelcode ", "S/N ", ""),
    "subtotal_gross": ("Subtotaal",),
    "title": ("FACTUUR", "Factuur", "Factuur"),
    "number": ("Factuurnummer", "Factuurnr.", "Factuur nr.", "Nummer"),
    "date": ("Factuurdatum", "Datum", "Factuurdatum"),
    "due": ("Vervaldatum", "Te betalen voor", "Uiterste betaaldatum"),
    "order_date": ("Orderdatum", "Besteldatum"),
    "delivery": ("Leverdatum", "Afleverdatum"),
    "period": ("Periode", "Factuurperiode"),
    "order": ("Ordernummer", "Bestelnummer", "Uw referentie", "Inkoopordernr."),
    "customer_no": ("Klantnummer", "Debiteurnummer", "Klantnr."),
    "delivery_note": ("Pakbon", "Pakbonnummer"),
    "vat_id": ("BTW-nummer", "Btw-id", "BTW nr."),
    "bill_to": ("Factuuradres", "Klant", "Aan"),
    "ship_to": ("Afleveradres", "Leveradres"),
    "from": ("Van", "Leverancier"),
    "pos": ("#", "Nr."),
    "description": ("Omschrijving", "Product", "Omschrijving"),
    "qty": ("Aantal", "Aant."),
    "unit": ("Eenheid",),
    "unit_price": ("Prijs", "Stukprijs", "Tarief"),
    "tax_rate": ("BTW", "Btw %"),
    "line_total": ("Bedrag", "Totaal"),
    "subtotal": ("Subtotaal", "Totaal excl. btw", "Subtotaal excl. BTW"),
    "discount": ("Korting", "Korting {pct}%"),
    "shipping": ("Verzendkosten", "Bezorgkosten"),
    "tax": ("BTW {rate}%", "Btw {rate}%", "{rate}% btw"),
    "tax_included": ("Waarvan btw {rate}%", "incl. {rate}% btw"),
    "total": ("Totaal", "Totaal incl. btw", "Te betalen", "Totaalbedrag", "TOTAAL"),
    "paid": ("Betaald", "Reeds betaald"),
    "balance": ("Openstaand bedrag", "Nog te betalen"),
    "page": ("Pagina {n} van {of}", "Blad {n}/{of}"),
    "terms": ("Betaling binnen {days} dagen na factuurdatum.", "Betalingstermijn: {days} dagen."),
    "due_sentence": ("Wij verzoeken u vriendelijk {amount} voor {due} over te maken "
                     "onder vermelding van het factuurnummer.",),
    "thanks": ("Bedankt voor uw bestelling!", "Hartelijk dank voor uw opdracht.", ""),
    "bank": ("Bankgegevens", "Bank"),
    "phone": ("Tel.", "Telefoon", "T"),
    "email": ("E-mail", "E"),
    "continued": ("Vervolg op volgende pagina",),
    "reverse": ("BTW verlegd.", "Btw verlegd naar afnemer."),
    "paid_note": ("Deze factuur is reeds voldaan via iDEAL.",),
}  # fmt: skip

_ES_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "detail": ("Ref. ", "Cód. ", "N.º serie ", ""),
    "subtotal_gross": ("Subtotal",),
    "title": ("FACTURA", "Factura", "Factura"),
    "number": ("Nº de factura", "Factura nº", "Número de factura", "Nº Factura", "Factura Nº"),
    "date": ("Fecha de factura", "Fecha", "Fecha de emisión", "Fecha factura"),
    "due": ("Fecha de vencimiento", "Vencimiento"),
    "order_date": ("Fecha de pedido",),
    "delivery": ("Fecha de entrega", "Fecha de operación"),
    "period": ("Periodo", "Periodo de facturación"),
    "order": ("Nº de pedido", "Pedido", "Su referencia"),
    "customer_no": ("Nº de cliente", "Código cliente", "Cliente nº"),
    "delivery_note": ("Albarán", "Nº albarán"),
    "vat_id": ("NIF", "CIF", "NIF/CIF"),
    "bill_to": ("Cliente", "Facturar a", "Datos del cliente"),
    "ship_to": ("Dirección de envío", "Enviar a"),
    "from": ("Emisor", "Proveedor"),
    "pos": ("Ref.", "Nº"),
    "description": ("Concepto", "Descripción", "Artículo"),
    "qty": ("Cantidad", "Cant.", "Uds."),
    "unit": ("Unidad",),
    "unit_price": ("Precio", "Precio unitario", "Precio ud."),
    "tax_rate": ("IVA", "% IVA"),
    "line_total": ("Importe", "Total", "Subtotal"),
    "subtotal": ("Base imponible", "Subtotal", "Suma"),
    "discount": ("Descuento", "Dto. {pct}%"),
    "shipping": ("Gastos de envío", "Portes"),
    "tax": ("IVA {rate}%", "IVA ({rate}%)", "Cuota IVA {rate}%"),
    "tax_included": ("IVA incluido {rate}%",),
    "total": ("Total", "TOTAL", "Total factura", "Importe total", "Total a pagar"),
    "paid": ("Pagado", "Entregado a cuenta"),
    "balance": ("Pendiente", "Saldo pendiente"),
    "page": ("Página {n} de {of}", "Pág. {n}/{of}"),
    "terms": ("Forma de pago: transferencia a {days} días.", "Vencimiento a {days} días."),
    "due_sentence": ("Importe a pagar: {amount}. Vencimiento: {due}.",),
    "thanks": ("Gracias por su confianza.", "Gracias por su compra.", ""),
    "bank": ("Datos bancarios", "Banco", "Cuenta"),
    "phone": ("Tel.", "Teléfono", "Tfno."),
    "email": ("Email", "Correo"),
    "continued": ("Continúa en la página siguiente", "Suma y sigue"),
    "reverse": ("Inversión del sujeto pasivo (art. 84 Ley 37/1992).",),
    "withholding": ("Retención IRPF {rate}%", "IRPF -{rate}%"),
    "paid_note": ("Factura pagada con tarjeta.",),
    "register": ("Inscrita en el Registro Mercantil de {city}, Tomo {num}, Folio 12, "
                 "Hoja M-{num}",),
}  # fmt: skip

_IN_EXTRA: Final[dict[str, tuple[str, ...]]] = {
    "title": ("TAX INVOICE", "Tax Invoice", "INVOICE", "Tax Invoice"),
    "number": ("Invoice No.", "Invoice No", "Invoice Number", "Bill No.", "Inv No."),
    "date": ("Invoice Date", "Dated", "Date", "Invoice Dt."),
    "order": ("Order ID", "Buyer's Order No.", "PO No.", "Booking ID"),
    "vat_id": ("GSTIN", "GSTIN/UIN", "GST No."),
    "bill_to": ("Bill To", "Buyer", "Billed To", "Details of Receiver (Billed to)"),
    "ship_to": ("Ship To", "Consignee", "Details of Consignee (Shipped to)"),
    "subtotal": ("Taxable Value", "Sub Total", "Total Taxable Amount", "Subtotal"),
    "tax": ("CGST @ {rate}%", "SGST @ {rate}%", "IGST @ {rate}%"),
    "total": ("Grand Total", "Total Amount", "Total Invoice Value", "Net Amount", "TOTAL"),
    "rounding": ("Round Off", "Rounded Off", "Round off"),
    "words": ("Amount in words: {words} Only", "Amount Chargeable (in words): INR {words} Only",
              "Rupees {words} Only"),
    "place": ("Place of Supply", "State"),
    "hsn": ("HSN/SAC", "HSN"),
}  # fmt: skip

_EN_WORDS: Final = _words(
    "Summit Harbor Bright Northern Crescent Oak Silver Pioneer Atlas Meridian Beacon Redwood "
    "Keystone Granite Blue Horizon Evergreen Falcon Union Liberty Sterling Cobalt Apex Vertex "
    "Riverside Maple Orchard Lakeside Quantum Vista Crown Anchor"
)
_EN_TRADES: Final = _words(
    "Consulting|Solutions|Logistics|Supplies|Technologies|Design|Systems|Services|Trading|"
    "Digital|Engineering|Media|Partners|Office Supply|Software|Print|Electrical|Analytics",
    "|",
)
_US_SURNAMES: Final = _words(
    "Miller Johnson Carter Walker Bennett Hughes Foster Parker Reed Coleman Hayes Brooks"
)
_UK_SURNAMES: Final = _words(
    "Smith Taylor Clarke Wright Evans Thompson Hughes Ashworth Fletcher Whitaker Pemberton"
)
_IN_SURNAMES: Final = _words(
    "Sharma Patel Reddy Iyer Gupta Singh Mehta Nair Agarwal Kulkarni Banerjee Rao Joshi"
)
_DE_SURNAMES: Final = _words(
    "Müller Schmidt Schneider Fischer Weber Becker Hoffmann Schäfer Koch Wagner Krüger "
    "Hartmann Lange Brandt Vogel"
)
_FR_SURNAMES: Final = _words(
    "Martin Bernard Dubois Lefèvre Moreau Laurent Girard Roux Fontaine Chevalier Garnier "
    "Rousseau Mercier"
)
_NL_SURNAMES: Final = _words(
    "de Vries|Jansen|Bakker|Visser|Smit|Meijer|de Boer|Mulder|Bos|Vos|Dekker|Hendriks|van Dijk", "|"
)
_ES_SURNAMES: Final = _words(
    "García Fernández López Martínez Sánchez Romero Navarro Torres Domínguez Vázquez Ruiz "
    "Moreno Gil"
)

LOCALES: Final[tuple[Locale, ...]] = (
    Locale(
        tag="en-US", country="US", paper="letter", months=EN_MONTHS,
        dates=("{mm}/{dd}/{yyyy}", "{mm}/{dd}/{yyyy}", "{month} {d}, {yyyy}", "{mon} {d}, {yyyy}",
               "{yyyy}-{mm}-{dd}", "{m}/{d}/{yyyy}"),
        numbers=(COMMA_DOT,), currencies=(USD,),
        placements=("symbol-before", "symbol-before", "symbol-before", "code-after", "none"),
        tax_rates=tuple(Decimal(r) for r in ("0", "4", "6", "6.25", "7", "8.25", "8.875", "9.5")),
        legal_forms=("Inc.", "Inc.", "LLC", "LLC", "Corp.", "Co."),
        labels=_US_LABELS, items=_EN_ITEMS, company_words=_EN_WORDS, trades=_EN_TRADES,
        surnames=_US_SURNAMES, first_names=_words("James Emily Michael Sarah David Laura"),
        streets=("Main Street", "Oak Avenue", "Market Street", "Commerce Drive", "Industrial Pkwy",
                 "Elm Street", "Lakeview Blvd", "Park Avenue"),
        cities=(("#####", "Springfield", "IL"), ("#####", "Austin", "TX"),
                ("#####", "Denver", "CO"), ("#####", "Portland", "OR"),
                ("#####", "Columbus", "OH"), ("#####", "Raleigh", "NC")),
        phone="(###) 555-####", number_prefixes=("INV-", "", "#", "INV", "US-"),
    ),
    Locale(
        tag="en-GB", country="GB", paper="a4", months=EN_MONTHS,
        dates=("{dd}/{mm}/{yyyy}", "{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}", "{dd} {mon} {yyyy}",
               "{ord} {month} {yyyy}", "{yyyy}-{mm}-{dd}"),
        numbers=(COMMA_DOT,), currencies=(GBP, GBP, GBP, EUR),
        placements=("symbol-before", "symbol-before", "code-before", "none"),
        tax_rates=(Decimal(20), Decimal(20), Decimal(20), Decimal(5), Decimal(0)),
        legal_forms=("Ltd", "Ltd", "Ltd.", "Limited", "LLP", "plc"),
        labels=_EN_LABELS, items=_EN_ITEMS, company_words=_EN_WORDS, trades=_EN_TRADES,
        surnames=_UK_SURNAMES, first_names=_words("Oliver Charlotte Harry Amelia George"),
        streets=("High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane",
                 "King Street", "Queensway"),
        cities=(("M# #AA", "Manchester", ""), ("LS# #AA", "Leeds", ""),
                ("BS# #AA", "Bristol", ""), ("EH# #AA", "Edinburgh", ""),
                ("EC#A #AA", "London", ""), ("B# #AA", "Birmingham", "")),
        phone="0### ### ####", number_prefixes=("INV-", "", "INV", "SI-"),
    ),
    Locale(
        tag="en-IN", country="IN", paper="a4", months=EN_MONTHS,
        dates=("{dd}/{mm}/{yyyy}", "{dd}-{mm}-{yyyy}", "{dd}-{mon}-{yyyy}", "{dd} {mon} {yyyy}",
               "{dd}.{mm}.{yyyy}", "{d} {month} {yyyy}"),
        numbers=(LAKH, LAKH, COMMA_DOT), currencies=(INR,),
        placements=("code-before", "symbol-before", "none", "none"),
        tax_rates=(Decimal(5), Decimal(12), Decimal(18), Decimal(18), Decimal(28)),
        legal_forms=("Pvt. Ltd.", "Pvt. Ltd.", "Private Limited", "LLP", "Ltd."),
        labels={**_EN_LABELS, **_IN_EXTRA}, items=_IN_ITEMS, company_words=(
            "Shree", "Sai", "Vardhan", "Lakshmi", "Ganesh", "Surya", "Kaveri", "Indus", "Apex",
            "Navkar", "Trident", "Sagar", "Omkar", "Pragati",
        ), trades=("Enterprises", "Traders", "Infotech", "Textiles", "Industries", "Solutions",
                   "Retail", "Hospitality", "Distributors", "Technologies"),
        surnames=_IN_SURNAMES, first_names=_words("Rahul Priya Amit Sneha Vikram Anjali"),
        streets=("MG Road", "Plot No. 14, MIDC Industrial Area", "Nehru Nagar", "Linking Road",
                 "Sector 18", "Anna Salai", "Residency Road"),
        cities=(("4110##", "Pune", "Maharashtra"), ("5600##", "Bengaluru", "Karnataka"),
                ("4000##", "Mumbai", "Maharashtra"), ("6000##", "Chennai", "Tamil Nadu"),
                ("1100##", "New Delhi", "Delhi"), ("3800##", "Ahmedabad", "Gujarat")),
        phone="+91 9####-#####", number_prefixes=("", "INV/", "GST/", "TI-"),
    ),
    Locale(
        tag="de-DE", country="DE", paper="a4", months=DE_MONTHS,
        dates=("{dd}.{mm}.{yyyy}", "{dd}.{mm}.{yyyy}", "{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}",
               "{yyyy}-{mm}-{dd}", "{dd}.{mm}.{yy}"),
        numbers=(DOT_COMMA, DOT_COMMA, DOT_COMMA, PLAIN_COMMA), currencies=(EUR,),
        placements=("symbol-after", "symbol-after", "code-after", "code-before", "none"),
        tax_rates=(Decimal(19), Decimal(19), Decimal(19), Decimal(7)),
        legal_forms=("GmbH", "GmbH", "GmbH", "AG", "GmbH & Co. KG", "UG (haftungsbeschränkt)",
                     "e.K."),
        labels=_DE_LABELS, items=_DE_ITEMS, company_words=(
            "Nord", "Alpen", "Rhein", "Blau", "Sonnen", "Elbe", "Tannen", "Stern", "Adler",
            "Linden", "Berg", "Hansa", "Ost", "Kraft",
        ), trades=("Haustechnik", "Logistik", "Medien", "Bürobedarf", "Software", "Consulting",
                   "Elektro", "Werkzeugbau", "Druck", "Gebäudeservice", "Systemhaus", "Handel"),
        surnames=_DE_SURNAMES, first_names=_words("Thomas Anna Stefan Julia Markus Katrin"),
        streets=("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gartenweg", "Lindenallee",
                 "Am Markt", "Schillerstraße", "Mühlenweg"),
        cities=(("10###", "Berlin", ""), ("80###", "München", ""), ("50###", "Köln", ""),
                ("20###", "Hamburg", ""), ("70###", "Stuttgart", ""), ("04###", "Leipzig", ""),
                ("60###", "Frankfurt am Main", "")),
        phone="0### ######", number_prefixes=("RE-", "", "R", "RG", "RE"),
    ),
    Locale(
        tag="fr-FR", country="FR", paper="a4", months=FR_MONTHS,
        dates=("{dd}/{mm}/{yyyy}", "{dd}/{mm}/{yyyy}", "{dd}/{mm}/{yyyy}", "{d1} {month} {yyyy}",
               "{dd}-{mm}-{yyyy}", "{yyyy}-{mm}-{dd}", "{dd}.{mm}.{yyyy}"),
        numbers=(SPACE_COMMA, SPACE_COMMA, PLAIN_COMMA, DOT_COMMA), currencies=(EUR,),
        placements=("symbol-after", "symbol-after", "symbol-after", "code-after", "none"),
        tax_rates=(Decimal(20), Decimal(20), Decimal(20), Decimal(10), Decimal("5.5")),
        legal_forms=("SARL", "SARL", "SAS", "SAS", "SA", "EURL"),
        labels=_FR_LABELS, items=_FR_ITEMS, company_words=(
            "Azur", "Atlantique", "Horizon", "Lumière", "Provence", "Étoile", "Alpha", "Rivage",
            "Cèdre", "Vallée", "Océane", "Arpège",
        ), trades=("Conseil", "Informatique", "Transports", "Bâtiment", "Services", "Distribution",
                   "Communication", "Bureautique", "Ingénierie", "Nettoyage"),
        surnames=_FR_SURNAMES, first_names=_words("Julien Camille Nicolas Claire Pierre Sophie"),
        streets=("rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo",
                 "rue du Commerce", "place de la Gare", "rue des Lilas", "allée des Tilleuls"),
        cities=(("75###", "Paris", ""), ("69###", "Lyon", ""), ("13###", "Marseille", ""),
                ("31###", "Toulouse", ""), ("33###", "Bordeaux", ""), ("44###", "Nantes", ""),
                ("59###", "Lille", "")),
        phone="0# ## ## ## ##", number_prefixes=("FA", "F", "FAC-", "", "F-"),
    ),
    Locale(
        tag="nl-NL", country="NL", paper="a4", months=NL_MONTHS,
        dates=("{dd}-{mm}-{yyyy}", "{dd}-{mm}-{yyyy}", "{d} {month} {yyyy}", "{dd}/{mm}/{yyyy}",
               "{yyyy}-{mm}-{dd}", "{d} {mon} {yyyy}"),
        numbers=(DOT_COMMA, DOT_COMMA, PLAIN_COMMA), currencies=(EUR_SPACED, EUR_SPACED, EUR),
        placements=("symbol-before", "symbol-before", "symbol-before", "code-before", "none"),
        tax_rates=(Decimal(21), Decimal(21), Decimal(21), Decimal(9)),
        legal_forms=("B.V.", "B.V.", "B.V.", "BV", "N.V.", "V.O.F."),
        labels=_NL_LABELS, items=_NL_ITEMS, company_words=(
            "Noord", "Polder", "Oranje", "Duin", "Molen", "Tulp", "Zee", "Gracht", "Delta",
            "Hollands", "Kompas", "Linde",
        ), trades=("Installatietechniek", "Logistiek", "Media", "Kantoorartikelen", "ICT",
                   "Advies", "Bouw", "Schoonmaak", "Techniek", "Handel"),
        surnames=_NL_SURNAMES, first_names=_words("Daan Sanne Bram Lotte Joost Eva"),
        streets=("Keizersgracht", "Stationsweg", "Dorpsstraat", "Industrieweg", "Kerkstraat",
                 "Havenstraat", "Nieuwe Binnenweg"),
        cities=(("10## AA", "Amsterdam", ""), ("30## AA", "Rotterdam", ""),
                ("35## AA", "Utrecht", ""), ("56## AA", "Eindhoven", ""),
                ("97## AA", "Groningen", ""), ("25## AA", "Den Haag", "")),
        phone="0## ### ####", number_prefixes=("", "F", "INV-", "FAC"),
    ),
    Locale(
        tag="es-ES", country="ES", paper="a4", months=ES_MONTHS,
        dates=("{dd}/{mm}/{yyyy}", "{dd}/{mm}/{yyyy}", "{d} de {month} de {yyyy}",
               "{dd}-{mm}-{yyyy}", "{yyyy}-{mm}-{dd}", "{d}/{m}/{yyyy}"),
        numbers=(DOT_COMMA, DOT_COMMA, PLAIN_COMMA), currencies=(EUR,),
        placements=("symbol-after", "symbol-after", "symbol-after", "code-after", "none"),
        tax_rates=(Decimal(21), Decimal(21), Decimal(21), Decimal(10), Decimal(4)),
        legal_forms=("S.L.", "S.L.", "S.L.", "S.A.", "S.L.U.", "SL"),
        labels=_ES_LABELS, items=_ES_ITEMS, company_words=(
            "Ibérica", "Levante", "Mediterráneo", "Sol", "Atlántico", "Nova", "Castilla", "Olivo",
            "Faro", "Brisa", "Sierra", "Alba",
        ), trades=("Consultores", "Logística", "Reformas", "Informática", "Suministros",
                   "Distribuciones", "Comunicación", "Ingeniería", "Servicios", "Limpiezas"),
        surnames=_ES_SURNAMES, first_names=_words("Javier Lucía Carlos Marta Pablo Elena"),
        streets=("Calle Mayor", "Avenida de la Constitución", "Calle Real", "Paseo de Gracia",
                 "Calle Alcalá", "Plaza de España", "Calle San Vicente"),
        cities=(("280##", "Madrid", "Madrid"), ("080##", "Barcelona", "Barcelona"),
                ("460##", "Valencia", "Valencia"), ("410##", "Sevilla", "Sevilla"),
                ("480##", "Bilbao", "Bizkaia"), ("290##", "Málaga", "Málaga")),
        phone="9## ### ###", number_prefixes=("", "A-", "F", "FV", "A"),
    ),
)  # fmt: skip

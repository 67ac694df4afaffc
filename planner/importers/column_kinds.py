"""What a CSV column holds, from its header, in the languages address books are exported in.

Exports name the same field in many ways: Thunderbird's "Primary Email" is
"Primäre E-Mail-Adresse" in German and "Adresse électronique principale" in
French, Roundcube writes "Email Home", Outlook "E-mail 2 Address". A column
is recognised by what its name says (e-mail, phone, fax, birthday, postal
address…), so that every e-mail column is read whatever the layout, and a
recognised column the planner does not keep is named in the preview instead
of being dropped in silence.
"""

from __future__ import annotations

import re
import unicodedata

# (kind, pattern) in order: the first that matches wins, so "E-mail Address" is an
# e-mail (not an address), "Company Main Phone" a phone and "Organization Title" a title.
_RULES: tuple[tuple[str, str], ...] = (
    ("ignore", r"(?:^|\s)(?:type|label|typ|art)$|e ?mail display|display name.*mail|"
               r"angezeigter name|e ?mail.*anzeigename|"
               r"^e ?mail (?:\d+ )?(?:type|label)|yomi|phonetic|\bfile as\b|"
               r"organi[sz]ation (?:\d+ )?(?:location|symbol|job description)|^photo$"),
    # other people's details (Outlook: Spouse, Manager's Name, Assistant's Phone, Children):
    # never the person's own phone or name
    ("related", r"spouse|\bmanager|\bassistant|\bpartner\b|\bchildren\b|ehepartner|"
                r"vorgesetzt|\bkinder\b|conjoint|\benfants\b|c[oó]nyuge|\bhijos\b"),
    ("date", r"anniversary|jahrestag|hochzeitstag|aniversario"),
    ("gender", r"^gender$|^sex$|geschlecht|^sexe$|^g[eé]nero$"),
    ("email", r"e ?mail|\bmail\b|courriel|correo|adresse [eé]lectronique|posta elettronica|"
              r"メール|邮件|邮箱|郵件|電郵|電子郵件|이메일|почт"),
    ("fax", r"\bfax|fax\b|факс|ファクス|ファックス|传真|傳真|팩스"),
    ("pager", r"pager|piepser|beeper|ポケベル|寻呼|呼叫器|пейджер"),
    ("phone", r"phone|\btel\b|\btél\b|telefon|téléphone|telefono|teléfono|\bmobil|\bcell|"
              r"\bhandy\b|\bportable\b|\bmóvil\b|celular|電話|携帯|电话|手机|手機|전화|휴대|"
              r"телефон|мобильн"),
    ("birth_year", r"birth ?year|year of birth|geburtsjahr|année de naissance|"
                   r"año de nacimiento|生年|出生年"),
    ("birth_month", r"birth ?month|geburtsmonat|mois de naissance|mes de nacimiento|出生月"),
    ("birth_day", r"^birth day$|jour de naissance|día de nacimiento|出生日$"),
    ("birthday", r"birthday|birth ?date|date of birth|\bdob\b|\bbday\b|\bborn\b|geburtstag|"
                 r"geburtsdatum|anniversaire|date de naissance|cumpleaños|"
                 r"fecha de nacimiento|compleanno|誕生日|生日|생일|день рождения|дата рождения"),
    ("timezone", r"time ?zone|^tz$|zeitzone|fuseau horaire|zona horaria|fuso orario|"
                 r"タイムゾーン|时区|時區|시간대|часовой пояс"),
    ("title", r"job ?title|organi[sz]ation (?:\d+ )?title|\bposition\b|\brole\b|arbeitstitel|"
              r"berufsbezeichnung|\bposte\b|\bfonction\b|\bcargo\b|役職|职位|職位|직함|직위|"
              r"должност"),
    ("department", r"department|abteilung|\bservice\b|département|departamento|部署|部门|部門|"
                   r"부서|отдел"),
    ("organization", r"organi[sz]ation|company|\bfirma\b|soci[eé]t[eé]|empresa|organisatie|"
                     r"azienda|会社|公司|单位|單位|회사|организац|компани"),
    ("website", r"web ?page|web ?site|homepage|\burl\b|webseite|site web|página web|"
                r"ウェブ|ホームページ|网页|网站|主页|網頁|홈페이지|웹|веб|сайт"),
    ("notes", r"^notes?$|^comments?$|notiz|^remarques?$|^notas?$|^memo$|メモ|备注|備註|메모|"
              r"заметк|примечани"),
    ("tags", r"categor|^labels?$|group membership|^groups?$|^tags?$|kategorie|étiquette|"
             r"分类|分類|カテゴリ|그룹|категори|групп"),
    ("nickname", r"nickname|spitzname|surnom|apodo|ニックネーム|昵称|暱稱|별명|псевдоним|прозвище"),
    ("im", r"screen name|messenger|chat[- ]?name|\bim\b|\bicq\b|\bjabber\b|\bskype\b"),
    ("address", r"address|adresse|street|straße|strasse|\bstra e\b|postleitzahl|postfach|"
                r"kanton|\bcity\b|\bstate\b|\bzip|postal|"
                r"post ?code|\bpo box\b|country|\bregion\b|\bort\b|\bplz\b|bundesland|\bland\b|"
                r"\bville\b|\bpays\b|dirección|ciudad|住所|地址|주소|адрес|город|страна|индекс"),
    ("middle", r"middle name|additional name|zweiter vorname|second prénom"),
    ("first", r"^(?:first|given) ?name$|^first$|^firstname$|vorname|prénom|^nombre$|^名$|"
              r"^名字$|^이름$|^имя$"),
    ("last", r"^(?:last|family|sur) ?name$|^surname$|^lastname$|nachname|nom de famille|^nom$|"
             r"apellido|^姓$|^姓氏$|^성$|фамилия"),
    ("name", r"display ?name|^full ?name$|^name$|anzeigename|nom à afficher|^名前$|姓名|氏名|"
             r"^contact name$"),
    ("custom", r"^custom (?:field )?\d+|benutzerdef|^divers \d+$|personnalis"),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _RULES)

#: fields the planner keeps, as the preview names a column left out of a chosen mapping
KEPT = {
    "email": "e-mail addresses",
    "phone": "phone numbers",
    "organization": "organisations",
    "title": "job titles",
    "birthday": "birthdays",
    "notes": "notes",
    "timezone": "time zones",
    "website": "web pages",
}
#: what the planner cannot keep, as the preview says it ("not imported: fax numbers …")
NOT_KEPT = {
    "fax": "fax numbers",
    "pager": "pager numbers",
    "nickname": "nicknames",
    "department": "departments",
    "address": "postal addresses",
    "custom": "custom fields",
    "related": "related people",  # (the vCard reader's words too: importers.vcard_unkept)
    "date": "anniversaries and other dates",
    "gender": "genders",
}


def normal(column: str) -> str:
    """Case, punctuation and spacing ignored; accents kept (they tell languages apart)."""
    text = unicodedata.normalize("NFC", column.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def column_kind(column: str) -> str | None:
    """``email``, ``phone``, ``fax``, ``birthday``, ``address``… or None when unknown."""
    text = normal(column)
    if not text:
        return None
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return None if kind == "ignore" else kind
    return None

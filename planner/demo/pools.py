"""The pools the demo people are drawn from: cultures and their names, time
zones and phone codes; organisations, titles, tags, channels and mail domains.

Name notation, parsed in people.py: ``native/roman`` where the name is written
in another script, ``male|female`` for family names that change with gender
(Kowalski|Kowalska), ``_`` for a space inside a name (van_den_Berg).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    key: str
    weight: int
    female: str
    male: str
    family: str
    zones: str
    phone: str  # country calling code
    eastern: bool = False  # family name first
    native_share: float = 0.0  # how often the name is written in its own script
    joiner: str = " "  # between family and given name in the native script


CULTURES = (
    Culture(
        "en",
        16,
        "Emma Olivia Charlotte Amelia Grace Hannah Emily Abigail Chloe Ruth Megan Alex Sam",
        "James Oliver Jack Harry Daniel Ethan Noah Liam Owen Ben Tom Alex Jordan",
        "Smith Johnson Williams Brown Taylor Wilson Clarke Walker Wright Hughes Evans "
        "Robinson Thompson Carter Mitchell Bennett Foster Hayes Reed Brooks",
        "America/New_York America/Chicago America/Los_Angeles America/Denver "
        "Europe/London Australia/Sydney Pacific/Auckland America/Toronto",
        "1",
    ),
    Culture(
        "de",
        7,
        "Anna Lena Jana Katrin Sophie Jördis Lea Marlene Friederike Ute",
        "Jürgen Lukas Jonas Matthias Felix Sören Tobias Moritz Florian Kai",
        "Müller Schäfer Becker Groß Weiß Krüger Hoffmann Schröder Köhler Fuchs Wagner "
        "Günther Vogel",
        "Europe/Berlin Europe/Berlin Europe/Vienna Europe/Zurich",
        "49",
    ),
    Culture(
        "nordic",
        4,
        "Åsa Ingrid Sigrid Liv Freja Maja Astrid Solveig",
        "Björn Håkon Øystein Mikael Jørgen Anders Leif Søren",
        "Johansson Lindqvist Åberg Sørensen Nørgaard Halvorsen Ekström Bergström Dahl",
        "Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Helsinki",
        "46",
    ),
    Culture(
        "pl",
        4,
        "Agnieszka Małgorzata Zofia Katarzyna Joanna Magdalena Ewa",
        "Łukasz Paweł Wojciech Michał Krzysztof Tomasz Grzegorz",
        "Nowak Kowalski|Kowalska Wiśniewski|Wiśniewska Wójcik Kamiński|Kamińska "
        "Lewandowski|Lewandowska Zieliński|Zielińska Dąbrowski|Dąbrowska Woźniak",
        "Europe/Warsaw",
        "48",
    ),
    Culture(
        "es",
        8,
        "Lucía Sofía Valentina Ximena Inés María Camila Paula Begoña",
        "José Andrés Íñigo Martín Sebastián Joaquín Diego Mateo Álvaro",
        "García Rodríguez Núñez Peña Muñoz Ibáñez Fernández López Martínez Sánchez "
        "Ramírez Castillo Ortega",
        "Europe/Madrid America/Mexico_City America/Bogota America/Argentina/Buenos_Aires "
        "America/Santiago America/Lima",
        "34",
    ),
    Culture(
        "pt",
        5,
        "Conceição Beatriz Luíza Thaís Mariana Letícia Fernanda",
        "João Gonçalo Caio Tomás Rafael Vinícius Rodrigo",
        "Gonçalves Araújo Magalhães Simões Brandão Carvalho Pereira Azevedo Ribeiro",
        "America/Sao_Paulo America/Sao_Paulo Europe/Lisbon",
        "55",
    ),
    Culture(
        "fr",
        6,
        "Chloé Hélène Maëlle Noémie Céline Élodie Camille Léa",
        "François Jérôme Théo Loïc Gaëtan Benoît Étienne Mathis",
        "Dubois Lefèvre Moreau Girard Fournier Mercier Rousseau Bonnet Lambert Faure",
        "Europe/Paris Europe/Paris America/Montreal Europe/Brussels",
        "33",
    ),
    Culture(
        "nl",
        4,
        "Zoë Femke Anouk Sanne Noor Lotte Eline",
        "Joost Daan Sjoerd Bram Thijs Ruben Maarten",
        "de_Vries van_den_Berg Bakker Visser Jansen Smit de_Jong Mulder",
        "Europe/Amsterdam",
        "31",
    ),
    Culture(
        "vi",
        4,
        "Lan Hương Thảo Ngọc Linh Trang Mai",
        "Dũng Hùng Quang Tuấn Phong Khánh Đức",
        "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ",
        "Asia/Ho_Chi_Minh Asia/Ho_Chi_Minh Australia/Melbourne",
        "84",
        eastern=True,
    ),
    Culture(
        "ja",
        5,
        "花子/Hanako 美咲/Misaki 陽菜/Hina さくら/Sakura 由美/Yumi 結衣/Yui 愛子/Aiko",
        "太郎/Taro 翔/Sho 健一/Kenichi 大輝/Daiki 拓也/Takuya 蓮/Ren 悠真/Yuma",
        "山田/Yamada 佐藤/Sato 鈴木/Suzuki 高橋/Takahashi 田中/Tanaka 伊藤/Ito "
        "渡辺/Watanabe 中村/Nakamura 小林/Kobayashi",
        "Asia/Tokyo",
        "81",
        eastern=True,
        native_share=0.5,
    ),
    Culture(
        "zh",
        7,
        "秀英/Xiuying 丽/Li 婷/Ting 静/Jing 欣怡/Xinyi 雨桐/Yutong 梦琪/Mengqi",
        "伟/Wei 强/Qiang 磊/Lei 浩然/Haoran 子轩/Zixuan 俊杰/Junjie 宇航/Yuhang",
        "王/Wang 李/Li 张/Zhang 刘/Liu 陈/Chen 杨/Yang 黄/Huang 周/Zhou 吴/Wu 林/Lin",
        "Asia/Shanghai Asia/Shanghai Asia/Taipei Asia/Singapore Asia/Hong_Kong America/Vancouver",
        "86",
        eastern=True,
        native_share=0.4,
        joiner="",
    ),
    Culture(
        "ko",
        3,
        "지은/Ji-eun 서연/Seo-yeon 민지/Min-ji 수아/Su-a 하은/Ha-eun",
        "민준/Min-jun 도윤/Do-yoon 현우/Hyun-woo 지호/Ji-ho 준서/Jun-seo",
        "김/Kim 이/Lee 박/Park 최/Choi 정/Jung 강/Kang 윤/Yoon",
        "Asia/Seoul",
        "82",
        eastern=True,
        native_share=0.4,
        joiner="",
    ),
    Culture(
        "el",
        2,
        "Ελένη/Eleni Μαρία/Maria Κατερίνα/Katerina Σοφία/Sofia Δήμητρα/Dimitra",
        "Αλέξανδρος/Alexandros Γιώργος/Giorgos Νίκος/Nikos Δημήτρης/Dimitris Κώστας/Kostas",
        "Παπαδόπουλος/Papadopoulos|Παπαδοπούλου/Papadopoulou Νικολάου/Nikolaou "
        "Οικονόμου/Oikonomou Γεωργίου/Georgiou Καραγιάννης/Karagiannis|Καραγιάννη/Karagianni",
        "Europe/Athens",
        "30",
        native_share=0.4,
    ),
    Culture(
        "ru",
        4,
        "Ольга/Olga Наталья/Natalya Анастасия/Anastasia Екатерина/Ekaterina "
        "Ирина/Irina Оксана/Oksana",
        "Дмитрий/Dmitry Алексей/Alexey Сергей/Sergey Иван/Ivan Михаил/Mikhail Андрій/Andriy",
        "Иванов/Ivanov|Иванова/Ivanova Смирнов/Smirnov|Смирнова/Smirnova "
        "Кузнецов/Kuznetsov|Кузнецова/Kuznetsova Попов/Popov|Попова/Popova "
        "Шевченко/Shevchenko Коваленко/Kovalenko Соколов/Sokolov|Соколова/Sokolova",
        "Europe/Moscow Europe/Kyiv Asia/Almaty Europe/Berlin",
        "7",
        native_share=0.5,
    ),
    Culture(
        "in",
        9,
        "Priya Ananya Kavya Lakshmi Divya Shreya Aishwarya Meera Pooja",
        "Arjun Rahul Vikram Aditya Karthik Siddharth Rohan Nikhil Varun",
        "Sharma Patel Iyer Reddy Nair Gupta Krishnan Banerjee Menon Kulkarni Rao",
        "Asia/Kolkata Asia/Kolkata Asia/Kolkata America/Los_Angeles Europe/London",
        "91",
    ),
    Culture(
        "ar",
        4,
        "فاطمة/Fatima ليلى/Layla ياسمين/Yasmin نور/Nour أميرة/Amira",
        "عمر/Omar يوسف/Youssef كريم/Karim طارق/Tariq حمزة/Hamza",
        "حداد/Haddad خليل/Khalil منصور/Mansour ناصر/Nasser صالح/Saleh",
        "Asia/Dubai Africa/Cairo Asia/Amman Asia/Riyadh Africa/Casablanca",
        "971",
        native_share=0.15,
    ),
    Culture(
        "africa",
        5,
        "Chiamaka Adaeze Ngozi Amara Wanjiru Akosua Thandiwe Folake",
        "Chinedu Oluwaseun Kwame Tunde Kofi Obinna Sipho Jabari",
        "Okafor Adeyemi Mensah Okonkwo Odhiambo Boateng Nwosu Dlamini Mwangi Balogun",
        "Africa/Lagos Africa/Accra Africa/Nairobi Africa/Johannesburg Europe/London",
        "234",
    ),
    Culture(
        "tr",
        3,
        "Ayşe Elif Zeynep Gülşen Şebnem Derya",
        "Mehmet Emre Barış Çağrı Oğuz Serkan",
        "Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın",
        "Europe/Istanbul Europe/Istanbul Europe/Berlin",
        "90",
    ),
    Culture(
        "cz",
        2,
        "Tereza Lucie Markéta Kateřina Zuzana",
        "Jiří Tomáš Ondřej Vojtěch Lukáš",
        "Novák|Nováková Dvořák|Dvořáková Svoboda|Svobodová Černý|Černá Procházka|Procházková",
        "Europe/Prague",
        "420",
    ),
    Culture(
        "ie",
        2,
        "Siobhán Aoife Niamh Róisín Ciara",
        "Seán Ciarán Pádraig Eoin Cathal",
        "O'Connor Murphy Kelly Byrne Ó_Súilleabháin MacCarthy Walsh",
        "Europe/Dublin",
        "353",
    ),
)

PRONOUNS = ("she", "he", "they")

ORGANISATIONS = (
    "Northwind Analytics",
    "Blue Heron Labs",
    "Kestrel Cloud",
    "Tidepool Systems",
    "Quillwork",
    "Lumen Health",
    "Fjordline Data",
    "Copperleaf",
    "Brightwater Bank",
    "Open Orchard Foundation",
    "Riverside University",
    "Northport Institute of Technology",
    "Saffron Payments",
    "Meridian Maps",
    "Papercrane Games",
    "Greenfield Energy",
    "Harbour Logistics",
    "Stackwise",
    "Parallax Robotics",
    "Little Owl Learning",
    "City of Eastbrook",
    "Cinder Security",
    "Atlas Genomics",
    "Juniper Mobility",
)
TITLES = (
    ("Software Engineer", "python"),
    ("Senior Software Engineer", "python"),
    ("Staff Engineer", "architecture"),
    ("Engineering Manager", "leadership"),
    ("Developer Advocate", "devrel"),
    ("Community Manager", "community"),
    ("Data Scientist", "data"),
    ("ML Engineer", "ml"),
    ("Site Reliability Engineer", "cloud"),
    ("Frontend Developer", "javascript"),
    ("Product Manager", "product"),
    ("Technical Writer", "docs"),
    ("Security Engineer", "security"),
    ("PhD student", "research"),
    ("Research Engineer", "research"),
    ("Founder & CEO", "founder"),
    ("CTO", "founder"),
    ("Designer", "design"),
    ("Solutions Architect", "cloud"),
    ("Student", "student"),
)
TAGS = (
    "python",
    "rust",
    "javascript",
    "go",
    "data",
    "ml",
    "speaker",
    "maintainer",
    "founder",
    "devrel",
    "writer",
    "mentor",
    "meetup-organizer",
    "hiring",
    "open-source",
    "accessibility",
    "docs",
    "community",
    "security",
    "cloud",
    "design",
    "student",
)
CHANNELS = ("im", "email", "video", "sms", "call", "coffee")
CHANNEL_WEIGHTS = (30, 30, 15, 10, 8, 7)
MAIL_DOMAINS = (
    "gmail.com",
    "fastmail.com",
    "proton.me",
    "outlook.com",
    "posteo.de",
    "hey.com",
    "icloud.com",
    "mailbox.org",
)

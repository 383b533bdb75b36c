"""The Russian and Kazakh alphabets, in their order: named lists (countries, currencies) are
sorted by them, so that Kazakh letters stand where they belong, not after «я»."""

ALPHABETS = {
    "ru": "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ",
    "kk": "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ",
}

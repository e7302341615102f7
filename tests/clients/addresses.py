"""The address both client suites send: Ayşe Yılmaz in Kızılay, Çankaya, Ankara (the geography
their fixtures create), as the clients spell it (lower-case codes and names)."""

AYSE_ADDRESS = {
    "email": "ayse@example.com",
    "phone_number": "05550000000",
    "first_name": "Ayşe",
    "last_name": "Yılmaz",
    "country": "tr",
    "city": "ankara",
    "township": "çankaya",
    "district": "Kızılay",
    "line": "Atatürk Blv. No: 1",
}

"""Refusal codes of the gateway client (regulation p.10, процесс 4, условие 2, процесс 5)."""

from qyzmet.core.refusals import register

register(
    "gateway_unavailable",
    ru=(
        "Шлюз «электронного правительства» недоступен: запрос в ГБД ФЛ/ГБД ЮЛ не выполнен. "
        "Повторите запрос позже или введите данные вручную, указав причину."
    ),
    kk=(
        "«Электрондық үкімет» шлюзі қолжетімсіз: ЖТ МДҚ/ЗТ МДҚ-ға сұрау орындалмады. "
        "Сұрауды кейінірек қайталаңыз немесе себебін көрсетіп, деректерді қолмен енгізіңіз."
    ),
    en=(
        "The e-government gateway is unavailable: the GBD FL/UL query was not completed. "
        "Retry later or enter the data by hand, stating the reason."
    ),
)
register(
    "gateway_bad_signature",
    ru="Ответ шлюза «электронного правительства» не прошёл проверку ЭЦП; данные не приняты.",
    kk="«Электрондық үкімет» шлюзінің жауабы ЭЦҚ тексеруінен өтпеді; деректер қабылданбады.",
    en="The e-government gateway's response failed the signature check; its data was not accepted.",
)
register(
    "gateway_bad_response",
    ru="Шлюз «электронного правительства» вернул некорректный ответ; данные не приняты.",
    kk="«Электрондық үкімет» шлюзі қате жауап қайтарды; деректер қабылданбады.",
    en="The e-government gateway returned a malformed response; its data was not accepted.",
)
register(
    "gateway_rejected",
    ru="Шлюз «электронного правительства» отклонил запрос. Обратитесь к администратору системы.",
    kk="«Электрондық үкімет» шлюзі сұрауды қабылдамады. Жүйе әкімшісіне хабарласыңыз.",
    en="The e-government gateway rejected the request. Contact the system administrator.",
)
# p.10, процесс 5: "сообщение о невозможности получения данных в связи с отсутствием данных
# услугополучателя в ГБД ЮЛ/ГБД ФЛ". The client returns None; the UI shows this message.
register(
    "registry_not_found",
    ru="Невозможно получить данные: сведения об услугополучателе отсутствуют в ГБД ФЛ/ГБД ЮЛ.",
    kk="Деректерді алу мүмкін емес: көрсетілетін қызметті алушы туралы мәліметтер ЖТ МДҚ/ЗТ МДҚ-да жоқ.",
    en="The data cannot be obtained: the applicant is not in GBD FL/UL (the state databases of individuals and legal entities).",
)

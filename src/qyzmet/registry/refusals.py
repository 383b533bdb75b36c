"""Refusal codes of the gateway client (regulation p.10, процесс 4, условие 2, процесс 5)."""

from django.utils.translation import gettext_lazy

from qyzmet.core.refusals import register

register(
    "gateway_unavailable",
    gettext_lazy(
        "Шлюз «электронного правительства» недоступен: запрос в ГБД ФЛ/ГБД ЮЛ не выполнен. Повторите запрос позже или введите данные вручную, указав причину."
    ),
)
register(
    "gateway_bad_signature",
    gettext_lazy(
        "Ответ шлюза «электронного правительства» не прошёл проверку ЭЦП; данные не приняты."
    ),
)
register(
    "gateway_bad_response",
    gettext_lazy("Шлюз «электронного правительства» вернул некорректный ответ; данные не приняты."),
)
register(
    "gateway_rejected",
    gettext_lazy(
        "Шлюз «электронного правительства» отклонил запрос. Обратитесь к администратору системы."
    ),
)
# p.10, процесс 5: "сообщение о невозможности получения данных в связи с отсутствием данных
# услугополучателя в ГБД ЮЛ/ГБД ФЛ". The client returns None; the UI shows this message.
register(
    "registry_not_found",
    gettext_lazy(
        "Невозможно получить данные: сведения об услугополучателе отсутствуют в ГБД ФЛ/ГБД ЮЛ."
    ),
)

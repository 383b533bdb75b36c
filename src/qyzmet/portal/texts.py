"""The portal's own interface texts, by key: the templates' ``{% t "key" %}`` and ``text(key)``.

Each is a Russian msgid marked for gettext; the other languages are in the catalogues
(``src/qyzmet/locale``, docs/i18n.md). Refusal messages come from ``qyzmet.core.refusals`` and
catalogue texts from the catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

from qyzmet.core.i18n import Text, translate

TEXTS: dict[str, Text] = {
    # layout
    "portal_name": gettext_lazy("Портал государственных услуг в сфере культуры"),
    "provider": gettext_lazy("Управление культуры города Алматы"),
    "skip": gettext_lazy("Перейти к содержанию"),
    "nav_services": gettext_lazy("Услуги"),
    "nav_my": gettext_lazy("Мои заявления"),
    "nav_login": gettext_lazy("Вход"),
    "nav_signup": gettext_lazy("Регистрация"),
    "nav_logout": gettext_lazy("Выход"),
    "language": gettext_lazy("Язык"),
    "main_nav": gettext_lazy("Основное меню"),
    "helpline": gettext_lazy("Единый контакт-центр по вопросам оказания государственных услуг"),
    "footer_basis": gettext_lazy(
        "Услуги оказываются по регламентам, утверждённым местным исполнительным органом; основание каждой услуги указано в её паспорте."
    ),
    "footer_service_basis": gettext_lazy("Услуга оказывается по регламенту — {acts}."),
    "signed_in_as": gettext_lazy("Вы вошли как"),
    # catalogue
    "catalogue_title": gettext_lazy("Государственные услуги"),
    "catalogue_lead": gettext_lazy(
        "Подайте заявление онлайн: заполните форму, приложите документы и подпишите ЭЦП."
    ),
    "passport": gettext_lazy("Паспорт услуги"),
    "apply": gettext_lazy("Подать заявление"),
    "login_to_apply": gettext_lazy("Войдите, чтобы подать заявление"),
    "who_may_apply": gettext_lazy("Кто может обратиться"),
    "individual": gettext_lazy("физические лица"),
    "legal_entity": gettext_lazy("юридические лица"),
    "cost": gettext_lazy("Стоимость"),
    "free": gettext_lazy("бесплатно"),
    "term": gettext_lazy("Срок оказания"),
    # the term as a whole phrase: Kazakh puts the number after "from registration" (item 6)
    "term_working_days": ngettext_lazy(
        "{n} рабочий день со дня регистрации заявления",
        "{n} рабочих дней со дня регистрации заявления",
        "n",
    ),
    "term_working_days_short": ngettext_lazy(
        "{n} рабочий день со дня регистрации", "{n} рабочих дней со дня регистрации", "n"
    ),
    "email": gettext_lazy("Электронная почта для уведомлений"),
    "schedule": gettext_lazy("График работы"),
    "schedule_text": gettext_lazy(
        "пн–пт {start}–{end}, перерыв {lunch_start}–{lunch_end}, кроме выходных и праздничных дней; портал принимает заявления круглосуточно, поступившие в нерабочее время регистрируются следующим рабочим днём"
    ),
    "documents": gettext_lazy("Необходимые документы"),
    "result": pgettext_lazy("portal.result", "Результат"),
    "refusal_result": gettext_lazy("или мотивированный отказ"),
    "legal_basis": gettext_lazy("Нормативная правовая основа"),
    "act_number": gettext_lazy("№ {number} от {date}"),
    "basis_regulation": gettext_lazy("Регламент"),
    "basis_amendment": gettext_lazy("Изменения"),
    "basis_repeal": gettext_lazy("Утрата силы"),
    "basis_standard": gettext_lazy("Стандарт"),
    "basis_law": gettext_lazy("Закон"),
    "basis_government_resolution": gettext_lazy("Постановление Правительства"),
    "status": gettext_lazy("Статус"),
    "in_force": gettext_lazy("действует"),
    "in_force_since": gettext_lazy("действует с {date}"),
    "repealed_since": gettext_lazy("утратила силу с {date}"),
    "repealed_notice": gettext_lazy(
        "Эта редакция регламента утратила силу {date}. Новые заявления по ней не принимаются."
    ),
    "current_version": gettext_lazy("Действующая редакция"),
    "versions": gettext_lazy("Редакции"),
    "demo_version": gettext_lazy("демонстрационная редакция"),
    "effective": gettext_lazy("Период действия"),
    "provider_label": gettext_lazy("Услугодатель"),
    "channels": gettext_lazy("Как получить"),
    "required_mark": gettext_lazy("обязательно"),
    "complaints": gettext_lazy("Обжалование"),
    "no_services": gettext_lazy("Сейчас нет действующих услуг."),
    # accounts
    "signup_title": gettext_lazy("Регистрация с помощью ЭЦП"),
    "signup_lead": gettext_lazy(
        "Выберите файл ключа аутентификации (AUTH_RSA…/AUTH_GOST…) и введите его пароль. Ключ не покидает ваш компьютер: страница подписывает одноразовый запрос сервера."
    ),
    "key_file": gettext_lazy("Файл ключа ЭЦП (.p12)"),
    "key_password": gettext_lazy("Пароль к ключу"),
    "sign_and_register": gettext_lazy("Подписать и зарегистрироваться"),
    "sign_and_login": gettext_lazy("Подписать и войти"),
    "password_title": gettext_lazy("Пароль для входа на портал"),
    "password_lead": gettext_lazy(
        "Учётная запись создана. Задайте пароль, чтобы входить по ИИН и паролю (представитель юридического лица — по ИИН, БИН организации и паролю), и адрес электронной почты для уведомлений."
    ),
    "your_login": gettext_lazy("Ваш вход"),
    "signup_entity_note": gettext_lazy(
        "Представители юридического лица регистрируются каждый своим ключом: первый руководитель, лица с правом подписи и сотрудники. Все они видят заявления организации; подписывает и отправляет руководитель или лицо с правом подписи."
    ),
    "password_lead_later": gettext_lazy(
        "Задайте пароль, чтобы входить по ИИН/БИН и паролю, и адрес электронной почты для уведомлений."
    ),
    "nav_account": gettext_lazy("Учётная запись"),
    "account_title": gettext_lazy("Учётная запись"),
    "login_label": gettext_lazy("Логин"),
    "change_password": gettext_lazy("Сменить пароль"),
    "set_password_link": gettext_lazy("Пароль ещё не задан: задать пароль"),
    "password_changed": gettext_lazy("Пароль изменён."),
    "email_saved": gettext_lazy("Адрес для уведомлений сохранён."),
    "certificates_title": gettext_lazy("Сертификаты ЭЦП, которыми выполнялся вход"),
    "certificates_none": gettext_lazy("Вход по ЭЦП ещё не выполнялся."),
    "serial": gettext_lazy("Серийный номер"),
    "holder": gettext_lazy("Владелец"),
    "valid_until": gettext_lazy("Действует до"),
    "first_used": gettext_lazy("Впервые"),
    "last_used": gettext_lazy("Последний раз"),
    "uses": gettext_lazy("Входов"),
    "current_password": gettext_lazy("Текущий пароль"),
    "new_password": gettext_lazy("Новый пароль"),
    "password_help": gettext_lazy("Не менее 8 символов, не только цифры, не похож на ИИН или имя."),
    "msg_auth_key": gettext_lazy(
        "Это ключ для входа (AUTH_…). Заявление подписывается ключом для подписи (файл GOST512_… или RSA256_…)."
    ),
    "save": gettext_lazy("Сохранить"),
    "login_title": gettext_lazy("Вход на портал"),
    "login_password_tab": gettext_lazy("По ИИН и паролю"),
    "login_eds_tab": gettext_lazy("По ЭЦП"),
    "login_field": gettext_lazy("ИИН"),
    "login_bin_field": gettext_lazy("БИН организации (для представителя юридического лица)"),
    "login_rule": gettext_lazy(
        "Каждый входит под своим ИИН. Представитель юридического лица указывает ещё БИН организации: у каждого представителя своя учётная запись и свой пароль."
    ),
    "password": gettext_lazy("Пароль"),
    "login_button": gettext_lazy("Войти"),
    "no_account": gettext_lazy("Нет учётной записи?"),
    "msg_key_password": gettext_lazy("Неверный пароль к файлу ключа или файл повреждён."),
    "msg_no_key": gettext_lazy(
        "В файле нет ключа, которым браузер может подписать (RSA или ГОСТ 2015): выберите файл ключа, а не сертификат."
    ),
    "msg_gost2004_key": gettext_lazy(
        "Это ключ ГОСТ 34.310-2004. НУЦ РК больше не выдаёт такие ключи, и действующих среди них не осталось (ключи НУЦ действуют год). Получите новый ключ ГОСТ 2015 на pki.gov.kz."
    ),
    "msg_network": gettext_lazy("Сервер недоступен. Повторите попытку."),
    "msg_purpose": gettext_lazy("Выбран ключ не того назначения"),
    "working": gettext_lazy("Подождите…"),
    "js_required": gettext_lazy("Для подписи ЭЦП нужен JavaScript."),
    "certificate_of": gettext_lazy("Сертификат"),
    # applications
    "my_title": gettext_lazy("Мои заявления"),
    "my_empty": gettext_lazy("У вас пока нет заявлений."),
    "number": gettext_lazy("Входящий номер"),
    "service": gettext_lazy("Услуга"),
    "submitted": gettext_lazy("Подано"),
    "deadline": gettext_lazy("Срок исполнения"),
    "open": gettext_lazy("Открыть"),
    "draft": gettext_lazy("Черновик"),
    "continue_draft": gettext_lazy("Продолжить заполнение"),
    "form_title": gettext_lazy("Заявление"),
    "step_form": gettext_lazy("1. Форма"),
    "step_documents": gettext_lazy("2. Документы"),
    "step_review": gettext_lazy("3. Проверка и подпись"),
    "save_draft": gettext_lazy("Сохранить черновик"),
    "to_review": gettext_lazy("Сохранить и перейти к проверке"),
    "draft_saved": gettext_lazy("Черновик сохранён."),
    "attachments": gettext_lazy("Документы"),
    "attachments_lead": gettext_lazy(
        "PDF, JPEG, PNG или TIFF, до {limit} МБ каждый. Перетащите файлы в поле или выберите их."
    ),
    "registered_at": gettext_lazy("Зарегистрировано"),
    "registered_next_working": pgettext_lazy(
        "portal.registered_next_working", "ближайшее рабочее время после подачи"
    ),
    "drafts_title": gettext_lazy("Черновики"),
    "submitted_title": gettext_lazy("Поданные заявления"),
    "last_change": gettext_lazy("Последнее изменение"),
    "files_count": gettext_lazy("Файлов"),
    "actions": gettext_lazy("Действия"),
    "delete_draft": gettext_lazy("Удалить черновик"),
    "delete_draft_confirm": gettext_lazy(
        "Удалить черновик заявления на услугу «{service}» вместе с приложенными файлами? Восстановить его будет нельзя."
    ),
    "cancel": gettext_lazy("Отмена"),
    "draft_deleted": gettext_lazy("Черновик удалён."),
    "choose_files": gettext_lazy("Выберите файлы"),
    "drop_here": gettext_lazy("или перетащите их сюда"),
    "upload": gettext_lazy("Загрузить"),
    "remove": gettext_lazy("Удалить"),
    "uploaded": gettext_lazy("Загружено"),
    "not_uploaded": gettext_lazy("не загружен"),
    "in_form": gettext_lazy("заполняется в форме заявления"),
    "bad_type": gettext_lazy("Файл «{name}»: допускаются только PDF, JPEG, PNG, TIFF."),
    "too_big": gettext_lazy("Файл «{name}» больше {limit} МБ."),
    "review_title": gettext_lazy("Проверьте заявление и подпишите"),
    "review_lead": gettext_lazy(
        "Подписывается ровно то, что показано ниже: данные формы, дайджесты (SHA-256) приложенных файлов, редакция услуги и данные заявителя. Используйте ключ для подписи (RSA256…/GOST512…)."
    ),
    "applicant": gettext_lazy("Заявитель"),
    "iin": gettext_lazy("ИИН"),
    "bin": gettext_lazy("БИН"),
    "representative": gettext_lazy("Представитель (ИИН)"),
    "entity_cannot_sign": gettext_lazy(
        "Ваш сертификат не даёт права подписи за организацию (сотрудник). Подписать и отправить заявление может первый руководитель или лицо с правом подписи: этот черновик есть и в их кабинете."
    ),
    "entity_list_note": gettext_lazy(
        "Заявления организации: их видят все её представители на портале. Подписывает и отправляет первый руководитель или лицо с правом подписи."
    ),
    "prepared_by": gettext_lazy("Представитель"),
    "edit": gettext_lazy("Изменить"),
    "sign_and_submit": gettext_lazy("Подписать ЭЦП и отправить"),
    "not_ready": gettext_lazy("Заявление ещё нельзя подписать:"),
    "field_errors": gettext_lazy("Исправьте поля формы"),
    "sign_blocked": gettext_lazy(
        "Подписать можно, когда форма заполнена верно и все документы приложены."
    ),
    "missing_docs": gettext_lazy("Не приложены документы"),
    "registered_title": gettext_lazy("Заявление зарегистрировано"),
    "registered_lead": gettext_lazy("Входящий номер вашего заявления:"),
    "timeline": pgettext_lazy("portal.timeline", "Ход исполнения"),
    "step": gettext_lazy("Этап"),
    "started": gettext_lazy("Начат"),
    "due": gettext_lazy("Срок"),
    "completed": gettext_lazy("Завершён"),
    "in_progress": gettext_lazy("в работе"),
    "refusal_reasons": gettext_lazy("Причины отказа"),
    "view_result": gettext_lazy("Просмотреть выходной документ"),
    "save_result": gettext_lazy("Сохранить (PDF с ЭЦП)"),
    "verify_result": gettext_lazy("Проверить подлинность документа"),
    "result_pending": gettext_lazy("Выходной документ формируется."),
    "working_days_left": gettext_lazy("рабочих дней со дня регистрации"),
    "new_application": gettext_lazy("Новое заявление"),
    "days_left": ngettext_lazy(
        "остался {days} рабочий день", "осталось {days} рабочих дней", "days"
    ),
    "due_today": gettext_lazy("срок истекает сегодня"),
    "overdue_by": ngettext_lazy(
        "просрочено на {days} рабочий день", "просрочено на {days} рабочих дней", "days"
    ),
    "what_submitted": gettext_lazy("Что подано"),
    "files_title": gettext_lazy("Файлы"),
    "download": pgettext_lazy("portal.download", "Скачать"),
    "term_label": gettext_lazy("срок оказания"),
    "back_to_list": gettext_lazy("К списку заявлений"),
    "error_title": gettext_lazy("Ошибка"),
    "required_field": gettext_lazy("Заполните это поле."),
    "bad_format": gettext_lazy("Неверный формат."),
    "bad_value": gettext_lazy("Недопустимое значение."),
    "bad_date": gettext_lazy("Укажите дату."),
    "bad_number": gettext_lazy("Укажите число больше нуля."),
    "bad_order": gettext_lazy("Дата окончания должна быть позже даты начала."),
    "too_long": gettext_lazy("Слишком длинное значение."),
    "progress": gettext_lazy("Загрузка"),
    "not_found_title": gettext_lazy("Страница не найдена"),
    # statuses of a case (cases.models.Status)
    "status_draft": gettext_lazy("черновик"),
    "status_registered": pgettext_lazy(
        "portal.status_registered", "зарегистрировано, ожидает назначения исполнителя"
    ),
    "status_checking": pgettext_lazy("portal.status_checking", "проверка полноты документов"),
    "status_preparing": gettext_lazy("подготовка результата"),
    "status_signing": pgettext_lazy("portal.status_signing", "на подписи у руководителя"),
    "status_awaiting_handover": pgettext_lazy(
        "portal.status_awaiting_handover", "результат готов к выдаче"
    ),
    "status_issued": gettext_lazy("результат выдан"),
    "status_refused": gettext_lazy("мотивированный отказ"),
    "status_intake_refused": gettext_lazy("отказ в приеме документов"),
    "outcome_registered": gettext_lazy("зарегистрировано"),
    "signed_by": gettext_lazy("Подписал"),
    "signed_at": gettext_lazy("Дата подписания"),
    "certificate_serial": gettext_lazy("Серийный номер сертификата"),
    "document_kind_approval": pgettext_lazy(
        "portal.document_kind_approval", "Положительный результат"
    ),
    "document_kind_refusal": gettext_lazy("Мотивированный отказ"),
    "explanation": gettext_lazy("Обоснование"),
}


def text(key: str, language: str | None = None, **params) -> str:
    return translate(TEXTS[key], language, **params)


VALIDATOR_TEXTS = {
    "required": "required_field",
    "pattern": "bad_format",
    "format": "bad_date",
    "enum": "bad_value",
    "not": "bad_value",
    "type": "bad_format",
    "minimum": "bad_number",
    "exclusiveMinimum": "bad_number",
    "x-date-order": "bad_order",
    "maxLength": "too_long",
    "minLength": "required_field",
    "minItems": "required_field",
}


def field_error(validator: str, language: str | None = None) -> str:
    return text(VALIDATOR_TEXTS.get(validator, "bad_value"), language)

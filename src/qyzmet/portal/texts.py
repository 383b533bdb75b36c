"""The portal's own interface texts in Russian, Kazakh and English.

Kept as data next to the pages (not gettext catalogues) so that the three languages are
reviewed side by side and no compile step is needed; refusal messages come from
``qyzmet.core.refusals`` and catalogue texts from the catalogue.
"""

from __future__ import annotations

from qyzmet.core.i18n import translate

TEXTS: dict[str, tuple[str, str, str]] = {
    # layout
    "portal_name": (
        "Портал государственных услуг в сфере культуры",
        "Мәдениет саласындағы мемлекеттік қызметтер порталы",
        "Public services portal: culture",
    ),
    "provider": (
        "Управление культуры города Алматы",
        "Алматы қаласының Мәдениет басқармасы",
        "Almaty City Department of Culture",
    ),
    "skip": ("Перейти к содержанию", "Мазмұнға өту", "Skip to content"),
    "nav_services": ("Услуги", "Қызметтер", "Services"),
    "nav_my": ("Мои заявления", "Менің өтініштерім", "My applications"),
    "nav_login": ("Вход", "Кіру", "Log in"),
    "nav_signup": ("Регистрация", "Тіркелу", "Sign up"),
    "nav_logout": ("Выход", "Шығу", "Log out"),
    "language": ("Язык", "Тіл", "Language"),
    "main_nav": ("Основное меню", "Негізгі мәзір", "Main menu"),
    "helpline": (
        "Единый контакт-центр по вопросам оказания государственных услуг",
        "Мемлекеттік қызметтер көрсету мәселелері жөніндегі бірыңғай байланыс орталығы",
        "Single contact centre for public services",
    ),
    "footer_basis": (
        "Регламенты утверждены постановлением акимата города Алматы от 11 мая 2014 года № 2/339.",
        "Регламенттер Алматы қаласы әкімдігінің 2014 жылғы 11 мамырдағы № 2/339 қаулысымен бекітілген.",
        "Regulations approved by Almaty akimat resolution No. 2/339 of 11 May 2014.",
    ),
    "signed_in_as": ("Вы вошли как", "Сіз кірдіңіз:", "Signed in as"),
    # catalogue
    "catalogue_title": ("Государственные услуги", "Мемлекеттік қызметтер", "Public services"),
    "catalogue_lead": (
        "Подайте заявление онлайн: заполните форму, приложите документы и подпишите ЭЦП. Услуги оказываются бесплатно.",
        "Өтінішті онлайн беріңіз: нысанды толтырып, құжаттарды тіркеп, ЭЦҚ-мен қол қойыңыз. Қызметтер тегін көрсетіледі.",
        "Apply online: fill in the form, attach the documents and sign with your EDS. The services are free of charge.",
    ),
    "passport": ("Паспорт услуги", "Қызмет паспорты", "Service passport"),
    "apply": ("Подать заявление", "Өтініш беру", "Apply"),
    "login_to_apply": (
        "Войдите, чтобы подать заявление",
        "Өтініш беру үшін кіріңіз",
        "Log in to apply",
    ),
    "who_may_apply": ("Кто может обратиться", "Кім жүгіне алады", "Who may apply"),
    "individual": ("физические лица", "жеке тұлғалар", "individuals"),
    "legal_entity": ("юридические лица", "заңды тұлғалар", "legal entities"),
    "cost": ("Стоимость", "Құны", "Cost"),
    "free": ("бесплатно", "тегін", "free of charge"),
    "term": ("Срок оказания", "Көрсету мерзімі", "Term"),
    "working_days": (
        "рабочих дней со дня регистрации заявления",
        "өтініш тіркелген күннен бастап жұмыс күні",
        "working days from registration",
    ),
    "schedule": ("График работы", "Жұмыс кестесі", "Schedule"),
    "schedule_text": (
        "пн–пт {start}–{end}, перерыв {lunch_start}–{lunch_end}, кроме выходных и праздничных дней; портал принимает заявления круглосуточно, поступившие в нерабочее время регистрируются следующим рабочим днём",
        "дс–жм {start}–{end}, үзіліс {lunch_start}–{lunch_end}, демалыс және мереке күндерінен басқа; портал өтініштерді тәулік бойы қабылдайды, жұмыс уақытынан тыс түскендері келесі жұмыс күні тіркеледі",
        "Mon–Fri {start}–{end}, lunch {lunch_start}–{lunch_end}, except weekends and holidays; the portal accepts applications around the clock, those received after hours are registered on the next working day",
    ),
    "documents": ("Необходимые документы", "Қажетті құжаттар", "Documents to prepare"),
    "result": ("Результат", "Нәтиже", "Result"),
    "refusal_result": (
        "или мотивированный отказ",
        "немесе дәлелді бас тарту",
        "or a motivated refusal",
    ),
    "legal_basis": ("Нормативная правовая основа", "Нормативтік құқықтық негіз", "Legal basis"),
    "act_number": ("№ {number} от {date}", "{date} № {number}", "No. {number} of {date}"),
    "basis_regulation": ("Регламент", "Регламент", "Regulation"),
    "basis_amendment": ("Изменения", "Өзгерістер", "Amendment"),
    "basis_repeal": ("Утрата силы", "Күшін жою", "Repeal"),
    "basis_standard": ("Стандарт", "Стандарт", "Standard"),
    "basis_law": ("Закон", "Заң", "Law"),
    "basis_government_resolution": (
        "Постановление Правительства",
        "Үкімет қаулысы",
        "Government resolution",
    ),
    "status": ("Статус", "Мәртебесі", "Status"),
    "in_force": ("действует", "қолданыста", "in force"),
    "in_force_since": ("действует с {date}", "{date} бастап қолданыста", "in force since {date}"),
    "repealed_since": (
        "утратила силу с {date}",
        "{date} бастап күшін жойды",
        "repealed as of {date}",
    ),
    "repealed_notice": (
        "Эта редакция регламента утратила силу {date}. Новые заявления по ней не принимаются.",
        "Регламенттің бұл редакциясы {date} күшін жойды. Ол бойынша жаңа өтініштер қабылданбайды.",
        "This version of the regulation was repealed on {date}. It takes no new applications.",
    ),
    "current_version": ("Действующая редакция", "Қолданыстағы редакция", "Version in force"),
    "versions": ("Редакции", "Редакциялар", "Versions"),
    "demo_version": (
        "демонстрационная редакция",
        "демонстрациялық редакция",
        "demonstration version",
    ),
    "effective": ("Период действия", "Қолданылу кезеңі", "Effective"),
    "provider_label": ("Услугодатель", "Көрсетілетін қызметті беруші", "Provider"),
    "channels": ("Как получить", "Қалай алуға болады", "How to obtain"),
    "required_mark": ("обязательно", "міндетті", "required"),
    "complaints": ("Обжалование", "Шағымдану", "Complaints"),
    "no_services": (
        "Сейчас нет действующих услуг.",
        "Қазір қолданыстағы қызметтер жоқ.",
        "No services are in force now.",
    ),
    # accounts
    "signup_title": ("Регистрация с помощью ЭЦП", "ЭЦҚ арқылы тіркелу", "Sign up with your EDS"),
    "signup_lead": (
        "Выберите файл ключа аутентификации (AUTH_RSA…/AUTH_GOST…) и введите его пароль. Ключ не покидает ваш компьютер: страница подписывает одноразовый запрос сервера.",
        "Аутентификация кілтінің файлын (AUTH_RSA…/AUTH_GOST…) таңдап, құпиясөзін енгізіңіз. Кілт компьютеріңізден шықпайды: бет сервердің бір реттік сұрауына қол қояды.",
        "Choose your authentication key file (AUTH_RSA…/AUTH_GOST…) and type its password. The key never leaves your computer: the page signs a one-time request from the server.",
    ),
    "key_file": ("Файл ключа ЭЦП (.p12)", "ЭЦҚ кілтінің файлы (.p12)", "EDS key file (.p12)"),
    "key_password": ("Пароль к ключу", "Кілттің құпиясөзі", "Key password"),
    "sign_and_register": (
        "Подписать и зарегистрироваться",
        "Қол қойып, тіркелу",
        "Sign and sign up",
    ),
    "sign_and_login": ("Подписать и войти", "Қол қойып, кіру", "Sign and log in"),
    "password_title": ("Пароль для входа на портал", "Порталға кіру құпиясөзі", "Portal password"),
    "password_lead": (
        "Учётная запись создана. Задайте пароль, чтобы входить по ИИН/БИН и паролю, и адрес электронной почты для уведомлений.",
        "Есептік жазба жасалды. ЖСН/БСН және құпиясөз арқылы кіру үшін құпиясөзді және хабарламаларға арналған электрондық пошта мекенжайын орнатыңыз.",
        "Your account is created. Set a password to log in with your IIN/BIN, and an e-mail address for notifications.",
    ),
    "current_password": ("Текущий пароль", "Ағымдағы құпиясөз", "Current password"),
    "new_password": ("Новый пароль", "Жаңа құпиясөз", "New password"),
    "password_help": (
        "Не менее 8 символов, не только цифры, не похож на ИИН или имя.",
        "Кемінде 8 таңба, тек цифрлар емес, ЖСН-ге немесе атқа ұқсамайтын.",
        "At least 8 characters, not only digits, unlike your IIN or name.",
    ),
    "email": (
        "Электронная почта для уведомлений",
        "Хабарламаларға арналған электрондық пошта",
        "E-mail for notifications",
    ),
    "save": ("Сохранить", "Сақтау", "Save"),
    "login_title": ("Вход на портал", "Порталға кіру", "Log in"),
    "login_password_tab": (
        "По ИИН/БИН и паролю",
        "ЖСН/БСН және құпиясөз арқылы",
        "With IIN/BIN and password",
    ),
    "login_eds_tab": ("По ЭЦП", "ЭЦҚ арқылы", "With EDS"),
    "login_field": ("ИИН или БИН", "ЖСН немесе БСН", "IIN or BIN"),
    "password": ("Пароль", "Құпиясөз", "Password"),
    "login_button": ("Войти", "Кіру", "Log in"),
    "no_account": ("Нет учётной записи?", "Есептік жазба жоқ па?", "No account yet?"),
    "msg_key_password": (
        "Неверный пароль к файлу ключа или файл повреждён.",
        "Кілт файлының құпиясөзі қате немесе файл бүлінген.",
        "Wrong key password, or the file is damaged.",
    ),
    "msg_no_key": (
        "В файле нет ключа, которым браузер может подписать (RSA или ГОСТ 2015): выберите файл ключа, а не сертификат.",
        "Файлда браузер қол қоя алатын кілт (RSA немесе ГОСТ 2015) жоқ: сертификатты емес, кілт файлын таңдаңыз.",
        "The file holds no key the browser can sign with (RSA or GOST 2015): choose a key file, not a certificate.",
    ),
    "msg_gost2004_key": (
        "Это ключ ГОСТ 34.310-2004. НУЦ РК больше не выдаёт такие ключи, и действующих среди них не осталось (ключи НУЦ действуют год). Получите новый ключ ГОСТ 2015 на pki.gov.kz.",
        "Бұл ГОСТ 34.310-2004 кілті. ҚР ҰКО мұндай кілттерді енді бермейді, олардың ішінде жарамдысы қалмады (ҰКО кілттері бір жыл жарамды). pki.gov.kz сайтынан жаңа ГОСТ 2015 кілтін алыңыз.",
        "This is a GOST 34.310-2004 key. NCA RK no longer issues such keys and none of them is still valid (NCA keys are valid for a year). Get a new GOST 2015 key at pki.gov.kz.",
    ),
    "msg_auth_key": (
        "Это ключ для входа (AUTH_…). Заявление подписывается ключом для подписи (файл GOST512_… или RSA256_…).",
        "Бұл кіруге арналған кілт (AUTH_…). Өтінішке қол қою кілтімен қол қойылады (GOST512_… немесе RSA256_… файлы).",
        "This is a log-in key (AUTH_…). An application is signed with the signing key (the GOST512_… or RSA256_… file).",
    ),
    "msg_network": (
        "Сервер недоступен. Повторите попытку.",
        "Сервер қолжетімсіз. Қайталап көріңіз.",
        "The server cannot be reached. Try again.",
    ),
    "msg_purpose": (
        "Выбран ключ не того назначения",
        "Басқа мақсаттағы кілт таңдалды",
        "A key of another purpose was chosen",
    ),
    "working": ("Подождите…", "Күте тұрыңыз…", "Please wait…"),
    "js_required": (
        "Для подписи ЭЦП нужен JavaScript.",
        "ЭЦҚ-мен қол қою үшін JavaScript қажет.",
        "Signing with the EDS needs JavaScript.",
    ),
    "certificate_of": ("Сертификат", "Сертификат", "Certificate"),
    # applications
    "my_title": ("Мои заявления", "Менің өтініштерім", "My applications"),
    "my_empty": (
        "У вас пока нет заявлений.",
        "Сізде әзірге өтініштер жоқ.",
        "You have no applications yet.",
    ),
    "number": ("Входящий номер", "Кіріс нөмірі", "Incoming number"),
    "service": ("Услуга", "Қызмет", "Service"),
    "submitted": ("Подано", "Берілді", "Submitted"),
    "deadline": ("Срок исполнения", "Орындау мерзімі", "Deadline"),
    "open": ("Открыть", "Ашу", "Open"),
    "draft": ("Черновик", "Жоба", "Draft"),
    "continue_draft": ("Продолжить заполнение", "Толтыруды жалғастыру", "Continue"),
    "form_title": ("Заявление", "Өтініш", "Application"),
    "step_form": ("1. Форма", "1. Нысан", "1. Form"),
    "step_documents": ("2. Документы", "2. Құжаттар", "2. Documents"),
    "step_review": ("3. Проверка и подпись", "3. Тексеру және қол қою", "3. Review and sign"),
    "save_draft": ("Сохранить черновик", "Жобаны сақтау", "Save draft"),
    "to_review": ("Сохранить и перейти к проверке", "Сақтап, тексеруге өту", "Save and review"),
    "draft_saved": ("Черновик сохранён.", "Жоба сақталды.", "Draft saved."),
    "attachments": ("Документы", "Құжаттар", "Documents"),
    "attachments_lead": (
        "PDF, JPEG, PNG или TIFF, до {limit} МБ каждый. Перетащите файлы в поле или выберите их.",
        "PDF, JPEG, PNG немесе TIFF, әрқайсысы {limit} МБ-қа дейін. Файлдарды өріске сүйреңіз немесе таңдаңыз.",
        "PDF, JPEG, PNG or TIFF, up to {limit} MB each. Drop the files on the field or choose them.",
    ),
    "choose_files": ("Выберите файлы", "Файлдарды таңдаңыз", "Choose files"),
    "drop_here": ("или перетащите их сюда", "немесе осында сүйреңіз", "or drop them here"),
    "upload": ("Загрузить", "Жүктеу", "Upload"),
    "remove": ("Удалить", "Жою", "Remove"),
    "uploaded": ("Загружено", "Жүктелді", "Uploaded"),
    "not_uploaded": ("не загружен", "жүктелмеген", "not uploaded"),
    "in_form": (
        "заполняется в форме заявления",
        "өтініш нысанында толтырылады",
        "filled in the form",
    ),
    "bad_type": (
        "Файл «{name}»: допускаются только PDF, JPEG, PNG, TIFF.",
        "«{name}» файлы: тек PDF, JPEG, PNG, TIFF рұқсат етіледі.",
        "File “{name}”: only PDF, JPEG, PNG, TIFF are allowed.",
    ),
    "too_big": (
        "Файл «{name}» больше {limit} МБ.",
        "«{name}» файлы {limit} МБ-тан үлкен.",
        "File “{name}” is larger than {limit} MB.",
    ),
    "review_title": (
        "Проверьте заявление и подпишите",
        "Өтінішті тексеріп, қол қойыңыз",
        "Review and sign the application",
    ),
    "review_lead": (
        "Подписывается ровно то, что показано ниже: данные формы, дайджесты (SHA-256) приложенных файлов, редакция услуги и данные заявителя. Используйте ключ для подписи (RSA256…/GOST512…).",
        "Төменде көрсетілгеннің дәл өзіне қол қойылады: нысан деректері, тіркелген файлдардың дайджестері (SHA-256), қызмет редакциясы және өтініш берушінің деректері. Қол қою кілтін (RSA256…/GOST512…) пайдаланыңыз.",
        "Exactly what is shown below is signed: the form data, the digests (SHA-256) of the attached files, the service version and the applicant. Use your signing key (RSA256…/GOST512…).",
    ),
    "applicant": ("Заявитель", "Өтініш беруші", "Applicant"),
    "iin": ("ИИН", "ЖСН", "IIN"),
    "bin": ("БИН", "БСН", "BIN"),
    "representative": ("Представитель (ИИН)", "Өкіл (ЖСН)", "Representative (IIN)"),
    "edit": ("Изменить", "Өзгерту", "Edit"),
    "sign_and_submit": (
        "Подписать ЭЦП и отправить",
        "ЭЦҚ-мен қол қойып, жіберу",
        "Sign with EDS and submit",
    ),
    "not_ready": (
        "Заявление ещё нельзя подписать:",
        "Өтінішке әлі қол қоюға болмайды:",
        "The application cannot be signed yet:",
    ),
    "field_errors": (
        "Исправьте поля формы",
        "Нысан өрістерін түзетіңіз",
        "Correct the form fields",
    ),
    "missing_docs": ("Не приложены документы", "Құжаттар тіркелмеген", "Documents missing"),
    "registered_title": ("Заявление зарегистрировано", "Өтініш тіркелді", "Application registered"),
    "registered_lead": (
        "Входящий номер вашего заявления:",
        "Өтінішіңіздің кіріс нөмірі:",
        "The incoming number of your application:",
    ),
    "timeline": ("Ход исполнения", "Орындалу барысы", "Progress"),
    "step": ("Этап", "Кезең", "Step"),
    "started": ("Начат", "Басталды", "Started"),
    "due": ("Срок", "Мерзімі", "Due"),
    "completed": ("Завершён", "Аяқталды", "Completed"),
    "in_progress": ("в работе", "орындалуда", "in progress"),
    "refusal_reasons": ("Причины отказа", "Бас тарту себептері", "Reasons for refusal"),
    "view_result": ("Просмотреть выходной документ", "Шығыс құжатты қарау", "View output document"),
    "save_result": ("Сохранить (PDF с ЭЦП)", "Сақтау (ЭЦҚ бар PDF)", "Save (signed PDF)"),
    "verify_result": (
        "Проверить подлинность документа",
        "Құжаттың түпнұсқалығын тексеру",
        "Verify the document",
    ),
    "result_pending": (
        "Выходной документ формируется.",
        "Шығыс құжат қалыптастырылуда.",
        "The output document is being prepared.",
    ),
    "working_days_left": (
        "рабочих дней со дня регистрации",
        "тіркелген күннен бастап жұмыс күні",
        "working days from registration",
    ),
    "new_application": ("Новое заявление", "Жаңа өтініш", "New application"),
    "back_to_list": ("К списку заявлений", "Өтініштер тізіміне", "Back to my applications"),
    "error_title": ("Ошибка", "Қате", "Error"),
    "required_field": ("Заполните это поле.", "Бұл өрісті толтырыңыз.", "Fill in this field."),
    "bad_format": ("Неверный формат.", "Пішімі қате.", "Wrong format."),
    "bad_value": ("Недопустимое значение.", "Рұқсат етілмеген мән.", "Value not allowed."),
    "bad_date": ("Укажите дату.", "Күнді көрсетіңіз.", "Enter a date."),
    "bad_number": (
        "Укажите число больше нуля.",
        "Нөлден үлкен санды көрсетіңіз.",
        "Enter a number above zero.",
    ),
    "bad_order": (
        "Дата окончания должна быть позже даты начала.",
        "Аяқталу күні басталу күнінен кейін болуы керек.",
        "The end date must be after the start date.",
    ),
    "too_long": ("Слишком длинное значение.", "Мән тым ұзын.", "Value too long."),
    "progress": ("Загрузка", "Жүктеу", "Upload"),
    "not_found_title": ("Страница не найдена", "Бет табылмады", "Page not found"),
    # statuses of a case (cases.models.Status)
    "status_draft": ("черновик", "жоба", "draft"),
    "status_registered": (
        "зарегистрировано, ожидает назначения исполнителя",
        "тіркелді, орындаушыны тағайындау күтілуде",
        "registered, awaiting assignment",
    ),
    "status_checking": (
        "проверка полноты документов",
        "құжаттардың толықтығын тексеру",
        "checking the documents",
    ),
    "status_preparing": ("подготовка результата", "нәтижені дайындау", "preparing the result"),
    "status_signing": (
        "на подписи у руководителя",
        "басшының қол қоюында",
        "awaiting the head's signature",
    ),
    "status_awaiting_handover": (
        "результат готов к выдаче",
        "нәтиже беруге дайын",
        "result ready to be handed over",
    ),
    "status_issued": ("результат выдан", "нәтиже берілді", "result issued"),
    "status_refused": ("мотивированный отказ", "дәлелді бас тарту", "motivated refusal"),
    "status_intake_refused": (
        "отказ в приеме документов",
        "құжаттарды қабылдаудан бас тарту",
        "documents not accepted",
    ),
    "outcome_registered": ("зарегистрировано", "тіркелді", "registered"),
    "signed_by": ("Подписал", "Қол қойған", "Signed by"),
    "signed_at": ("Дата подписания", "Қол қойылған күні", "Signed on"),
    "certificate_serial": (
        "Серийный номер сертификата",
        "Сертификаттың сериялық нөмірі",
        "Certificate serial number",
    ),
    "document_kind_approval": ("Положительный результат", "Оң нәтиже", "Positive result"),
    "document_kind_refusal": ("Мотивированный отказ", "Дәлелді бас тарту", "Motivated refusal"),
    "explanation": ("Обоснование", "Негіздеме", "Explanation"),
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

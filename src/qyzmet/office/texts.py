"""The staff desk's interface texts in Russian, Kazakh and English.

Kept as data next to the pages (as the portal does) so that the three languages are reviewed
side by side and no gettext compile step is needed. Refusal messages come from
``qyzmet.core.refusals``; catalogue texts (services, documents, reasons) from the catalogue.
"""

from __future__ import annotations

from django.utils import translation

TEXTS: dict[str, tuple[str, str, str]] = {
    # layout
    # qyzmet's name and the provider's (from the catalogue); «Е-лицензирование» is the
    # regulation's term for the provider's database, used only where that is meant.
    "system_name": (
        "qyzmet — рабочее место услугодателя",
        "qyzmet — көрсетілетін қызметті берушінің жұмыс орны",
        "qyzmet — the provider's staff desk",
    ),
    "skip": ("Перейти к содержанию", "Мазмұнға өту", "Skip to content"),
    "language": ("Язык", "Тіл", "Language"),
    "main_nav": ("Основное меню", "Негізгі мәзір", "Main menu"),
    "nav_inbox": ("Мои задачи", "Менің тапсырмаларым", "My tasks"),
    "nav_register": ("Приём документов", "Құжаттарды қабылдау", "Intake"),
    "nav_dashboard": ("Сводка", "Жиынтық", "Dashboard"),
    "nav_logout": ("Выход", "Шығу", "Log out"),
    "nav_services": ("Регламенты", "Регламенттер", "Regulations"),
    "services_title": (
        "Услуги и их регламенты",
        "Қызметтер және олардың регламенттері",
        "Services and their regulations",
    ),
    "footer_about": (
        "qyzmet — платформа оказания государственных услуг (ГБД «Е-лицензирование» в терминах "
        "регламентов).",
        "qyzmet — мемлекеттік қызметтер көрсету платформасы (регламенттер терминімен "
        "«Е-лицензиялау» МДҚ).",
        "qyzmet — a public-service platform (the regulations' state database «E-licensing»).",
    ),
    "print": ("Печать", "Басып шығару", "Print"),
    "back_to_case": ("К делу", "Іске оралу", "Back to the case"),
    "back_to_inbox": ("К задачам", "Тапсырмаларға", "Back to tasks"),
    "choose": ("— выберите —", "— таңдаңыз —", "— choose —"),
    "yes": ("да", "иә", "yes"),
    "no": ("нет", "жоқ", "no"),
    "required_field": ("Обязательное поле.", "Міндетті өріс.", "This field is required."),
    "bad_value": ("Неверное значение.", "Мән қате.", "Invalid value."),
    # log-in
    "login_title": ("Вход в систему", "Жүйеге кіру", "Log in"),
    "login_lead": (
        "Вход для сотрудников услугодателя по логину и паролю.",
        "Көрсетілетін қызметті берушінің қызметкерлеріне логин мен құпиясөз арқылы кіру.",
        "For the provider's staff: log in with your login and password.",
    ),
    "username": ("Логин", "Логин", "Login"),
    "password": ("Пароль", "Құпиясөз", "Password"),
    "login_button": ("Войти", "Кіру", "Log in"),
    # inbox
    "inbox_title": ("Мои задачи", "Менің тапсырмаларым", "My tasks"),
    "inbox_empty": ("Открытых задач нет.", "Ашық тапсырмалар жоқ.", "No open tasks."),
    "open_tasks": ("Открытых задач: {n}", "Ашық тапсырмалар: {n}", "Open tasks: {n}"),
    "filter_step": ("Этап", "Кезең", "Step"),
    "all_steps": ("Все этапы", "Барлық кезеңдер", "All steps"),
    "search": ("Поиск", "Іздеу", "Search"),
    "search_label": (
        "Рег. номер, ИИН/БИН или наименование",
        "Тіркеу нөмірі, ЖСН/БСН немесе атауы",
        "Registration no., IIN/BIN or name",
    ),
    "search_results": ("Результаты поиска", "Іздеу нәтижелері", "Search results"),
    "search_none": ("Ничего не найдено.", "Ештеңе табылмады.", "Nothing found."),
    "apply": ("Применить", "Қолдану", "Apply"),
    "reset": ("Сбросить", "Тазарту", "Reset"),
    "col_number": ("Рег. номер", "Тіркеу нөмірі", "Reg. no."),
    "col_service": ("Услуга", "Қызмет", "Service"),
    "col_applicant": ("Услугополучатель", "Көрсетілетін қызметті алушы", "Applicant"),
    "col_step": ("Этап", "Кезең", "Step"),
    "col_due": ("Срок (рабочее время)", "Мерзімі (жұмыс уақыты)", "Due (working time)"),
    "col_status": ("Состояние", "Жағдайы", "Status"),
    "col_channel": ("Канал", "Арна", "Channel"),
    "overdue": ("просрочено", "мерзімі өткен", "overdue"),
    "on_time": ("в срок", "мерзімінде", "on time"),
    "page_of": ("Страница {page}", "{page}-бет", "Page {page}"),
    "prev": ("← Предыдущая", "← Алдыңғы", "← Previous"),
    "next": ("Следующая →", "Келесі →", "Next →"),
    # intake
    "register_title": (
        "Приём заявления на бумажном носителе",
        "Қағаз жеткізгіштегі өтінішті қабылдау",
        "Paper application intake",
    ),
    "choose_service": ("Выберите услугу", "Қызметті таңдаңыз", "Choose the service"),
    "version_in_force": ("Редакция регламента: {v}", "Регламент редакциясы: {v}", "Version: {v}"),
    "start_intake": ("Принять документы", "Құжаттарды қабылдау", "Start intake"),
    "section_applicant": ("1. Услугополучатель", "1. Көрсетілетін қызметті алушы", "1. Applicant"),
    "section_form": ("2. Заявление", "2. Өтініш", "2. Application form"),
    "section_documents": (
        "3. Представленные документы",
        "3. Ұсынылған құжаттар",
        "3. Documents handed in",
    ),
    "section_scans": ("4. Сканированные копии", "4. Сканерленген көшірмелер", "4. Scanned copies"),
    "kind_individual": ("Физическое лицо (ИИН)", "Жеке тұлға (ЖСН)", "Individual (IIN)"),
    "kind_legal_entity": ("Юридическое лицо (БИН)", "Заңды тұлға (БСН)", "Legal entity (BIN)"),
    "applicant_kind": ("Вид услугополучателя", "Алушының түрі", "Applicant type"),
    "identifier": ("ИИН / БИН", "ЖСН / БСН", "IIN / BIN"),
    "lookup_button": (
        "Запросить в ГБД ФЛ/ЮЛ",
        "ЖТ/ЗТ МДҚ-дан сұрату",
        "Look up in GBD FL/UL",
    ),
    "lookup_retry": ("Повторить запрос", "Сұрауды қайталау", "Retry"),
    "lookup_found": (
        "Данные получены из {source} через шлюз «электронного правительства» (сообщение {id}).",
        "Деректер «электрондық үкімет» шлюзі арқылы {source}-дан алынды (хабарлама {id}).",
        "Data received from {source} through the e-government gateway (message {id}).",
    ),
    "applicant_name": (
        "Ф.И.О. / наименование",
        "Т.А.Ә. / атауы",
        "Full name / organisation name",
    ),
    "representative_iin": (
        "ИИН представителя (руководителя)",
        "Өкілдің (басшының) ЖСН",
        "IIN of the representative (head)",
    ),
    "address": ("Адрес", "Мекенжайы", "Address"),
    "birth_date": ("Дата рождения", "Туған күні", "Date of birth"),
    "registration_date": ("Дата регистрации", "Тіркелген күні", "Registration date"),
    "head_name": ("Руководитель", "Басшы", "Head"),
    "manual_entry": (
        "Ввести данные вручную (без ответа ГБД ФЛ/ЮЛ)",
        "Деректерді қолмен енгізу (ЖТ/ЗТ МДҚ жауабынсыз)",
        "Enter by hand (without a GBD FL/UL answer)",
    ),
    "manual_reason": (
        "Причина ручного ввода",
        "Қолмен енгізу себебі",
        "Reason for entering by hand",
    ),
    "manual_hint": (
        "Например: шлюз недоступен, данные сверены по удостоверению личности.",
        "Мысалы: шлюз қолжетімсіз, деректер жеке куәлік бойынша тексерілді.",
        "For example: the gateway is down, data checked against the ID card.",
    ),
    "documents_hint": (
        "Отметьте документы из перечня пункта 9 стандарта, которые сданы на бумаге.",
        "Стандарттың 9-тармағындағы тізбеден қағаз түрінде тапсырылған құжаттарды белгілеңіз.",
        "Tick the documents of the list in item 9 of the standard handed in on paper.",
    ),
    "required_doc": ("обязательный", "міндетті", "required"),
    "scan_for": ("Документ", "Құжат", "Document"),
    "other_document": ("иной документ", "өзге құжат", "other document"),
    "drop_here": (
        "Перетащите файлы сюда или выберите их (PDF, JPEG, PNG, TIFF)",
        "Файлдарды осында сүйреңіз немесе таңдаңыз (PDF, JPEG, PNG, TIFF)",
        "Drop files here or choose them (PDF, JPEG, PNG, TIFF)",
    ),
    "files": ("Файлы", "Файлдар", "Files"),
    "uploading": ("Отправка…", "Жіберілуде…", "Uploading…"),
    "register_button": ("Зарегистрировать", "Тіркеу", "Register"),
    "refuse_intake_button": (
        "Отказать в приёме (неполный пакет)",
        "Қабылдаудан бас тарту (толық емес топтама)",
        "Refuse intake (incomplete package)",
    ),
    "intake_refusal_hint": (
        "Если пакет неполный, выдайте расписку об отказе в приёме документов.",
        "Топтама толық болмаса, құжаттарды қабылдаудан бас тарту туралы қолхат беріңіз.",
        "If the package is incomplete, issue the receipt of refusal.",
    ),
    "errors_above": (
        "Исправьте отмеченные поля.",
        "Белгіленген өрістерді түзетіңіз.",
        "Please correct the marked fields.",
    ),
    # receipts
    "receipt_title": (
        "Расписка о приёме документов",
        "Құжаттарды қабылдау туралы қолхат",
        "Receipt of documents",
    ),
    "refusal_receipt_title": (
        "Расписка об отказе в приёме документов",
        "Құжаттарды қабылдаудан бас тарту туралы қолхат",
        "Receipt of refusal to accept documents",
    ),
    "reg_number": ("Входящий номер", "Кіріс нөмірі", "Incoming number"),
    "documents_presented": (
        "Представленные документы (не приняты, возвращаются)",
        "Ұсынылған құжаттар (қабылданбады, қайтарылады)",
        "Documents presented (not accepted, returned)",
    ),
    "service": ("Услуга", "Қызмет", "Service"),
    "documents_accepted": ("Принятые документы", "Қабылданған құжаттар", "Documents accepted"),
    "documents_missing": (
        "Недостающие документы (п. 9 стандарта)",
        "Жетіспейтін құжаттар (стандарттың 9-т.)",
        "Missing documents (item 9 of the standard)",
    ),
    "employee": ("Принял(а)", "Қабылдаған", "Received by"),
    "collect_on": (
        "Дата получения результата",
        "Нәтижені алу күні",
        "Collect the result on",
    ),
    "signature_line": ("подпись", "қолы", "signature"),
    "receipt_note": (
        "Результат выдаётся при предъявлении документа, удостоверяющего личность, "
        "и настоящей расписки.",
        "Нәтиже жеке басты куәландыратын құжатты және осы қолхатты көрсеткен кезде беріледі.",
        "The result is handed over on presentation of an identity document and this receipt.",
    ),
    "refusal_note": (
        "В приёме документов отказано в связи с представлением неполного пакета документов "
        "согласно перечню пункта 9 стандарта государственной услуги.",
        "Мемлекеттік көрсетілетін қызмет стандартының 9-тармағындағы тізбеге сәйкес құжаттар "
        "топтамасы толық ұсынылмағандықтан, құжаттарды қабылдаудан бас тартылды.",
        "The documents were not accepted: the package is incomplete under item 9 of the standard.",
    ),
    # case page
    "case_title": ("Дело {number}", "{number} іс", "Case {number}"),
    "applicant": ("Услугополучатель", "Көрсетілетін қызметті алушы", "Applicant"),
    "channel": ("Канал", "Арна", "Channel"),
    "status": ("Состояние", "Жағдайы", "Status"),
    "executor": ("Исполнитель", "Орындаушы", "Executor"),
    "deadline": ("Срок оказания услуги", "Қызмет көрсету мерзімі", "Service deadline"),
    "registered": ("Зарегистрировано", "Тіркелді", "Registered"),
    "submitted": ("Подано", "Тапсырылды", "Submitted"),
    "registered_next_working": (
        "ближайшее рабочее время после подачи",
        "тапсырылғаннан кейінгі ең жақын жұмыс уақыты",
        "the next working time after submission",
    ),
    "data_source": ("Источник данных", "Деректер көзі", "Data source"),
    "source_manual": (
        "введены вручную: {reason}",
        "қолмен енгізілді: {reason}",
        "by hand: {reason}",
    ),
    "form_data": ("Данные заявления", "Өтініш деректері", "Application data"),
    "paper_documents": ("Документы на бумаге", "Қағаздағы құжаттар", "Paper documents"),
    "attachments": ("Вложения", "Тіркемелер", "Attachments"),
    "no_attachments": ("Вложений нет.", "Тіркемелер жоқ.", "No attachments."),
    "open": ("Открыть", "Ашу", "Open"),
    "download": ("Скачать", "Жүктеу", "Download"),
    "timeline": ("Ход исполнения", "Орындалу барысы", "Timeline"),
    "col_started": ("Начато", "Басталды", "Started"),
    "col_done": ("Завершено", "Аяқталды", "Completed"),
    "col_actor": ("Исполнитель", "Орындаушы", "Done by"),
    "col_norm": ("Норматив", "Норматив", "Norm"),
    "col_outcome": ("Итог", "Нәтиже", "Outcome"),
    "in_progress": ("в работе", "орындалуда", "in progress"),
    "norm_met": ("соблюдён", "сақталды", "met"),
    "norm_missed": ("нарушен", "бұзылды", "missed"),
    "norm_working_minutes": ("{n} раб. мин.", "{n} жұм. мин.", "{n} working min"),
    "norm_working_days": ("{n} раб. дн.", "{n} жұм. күн", "{n} working days"),
    "norm_same_working_day": ("в тот же рабочий день", "сол жұмыс күні", "same working day"),
    "audit_trail": ("Журнал действий", "Әрекеттер журналы", "Audit trail"),
    "col_time": ("Время", "Уақыты", "Time"),
    "col_action": ("Действие", "Әрекет", "Action"),
    "decisions": ("Проекты результата", "Нәтиже жобалары", "Result drafts"),
    "action_panel": ("Текущая задача", "Ағымдағы тапсырма", "Current task"),
    "no_action": (
        "Для вас по этому делу задач нет.",
        "Бұл іс бойынша сізге тапсырма жоқ.",
        "You have no task on this case.",
    ),
    "case_not_found": ("Дело не найдено.", "Іс табылмады.", "Case not found."),
    "sign_already_done": (
        "Решение по делу № {number} уже подписано: подписывать больше нечего.",
        "№ {number} іс бойынша шешімге қол қойылған: басқа қол қоятын ештеңе жоқ.",
        "The decision on case No. {number} is already signed: there is nothing left to sign.",
    ),
    "sign_not_yet": (
        "Решение по делу № {number} ещё не передано на подпись.",
        "№ {number} іс бойынша шешім әлі қол қоюға берілмеген.",
        "The decision on case No. {number} has not been sent for signature yet.",
    ),
    "open_case": ("Открыть дело", "Істі ашу", "Open the case"),
    # assign
    "assign_title": (
        "Назначить ответственного исполнителя",
        "Жауапты орындаушыны тағайындау",
        "Assign the responsible executor",
    ),
    "reassign_title": ("Передать другому исполнителю", "Басқа орындаушыға беру", "Reassign"),
    "assign_button": ("Назначить", "Тағайындау", "Assign"),
    "reassign_button": ("Передать", "Беру", "Reassign"),
    # check
    "check_title": (
        "Проверка полноты документов (п. 8.2)",
        "Құжаттардың толықтығын тексеру (8.2-т.)",
        "Completeness check (p.8.2)",
    ),
    "check_complete": ("Пакет полный — принять", "Топтама толық — қабылдау", "Complete — accept"),
    "check_incomplete": (
        "Отказать (мотивированный отказ)",
        "Бас тарту (дәлелді бас тарту)",
        "Refuse (motivated refusal)",
    ),
    "reasons": ("Основания отказа", "Бас тарту негіздері", "Grounds for refusal"),
    "explanation": ("Мотивировка", "Дәлелдеме", "Explanation"),
    # prepare
    "prepare_title": (
        "Подготовка результата (п. 8.3)",
        "Нәтижені дайындау (8.3-т.)",
        "Prepare the result (p.8.3)",
    ),
    "prepare_approval": ("Положительный результат", "Оң нәтиже", "Approval"),
    "prepare_refusal": ("Мотивированный отказ", "Дәлелді бас тарту", "Motivated refusal"),
    "result_fields": (
        "Поля результата (заполнены из заявления)",
        "Нәтиже өрістері (өтініштен толтырылды)",
        "Result fields (prefilled from the application)",
    ),
    "conditions": ("Особые условия", "Ерекше шарттар", "Conditions"),
    "send_to_head": ("Направить руководителю", "Басшыға жіберу", "Send to the head"),
    "returned_comment": (
        "Возвращено руководителем: {comment}",
        "Басшы қайтарды: {comment}",
        "Returned by the head: {comment}",
    ),
    # sign
    "sign_title": ("Подписание результата", "Нәтижеге қол қою", "Sign the result"),
    "sign_open": ("Открыть страницу подписания", "Қол қою бетін ашу", "Open the signing page"),
    "document": ("Документ", "Құжат", "Document"),
    "document_pdf": ("Документ (PDF)", "Құжат (PDF)", "Document (PDF)"),
    "decision_kind": ("Вид результата", "Нәтиже түрі", "Result"),
    "key_file": (
        "Файл ключа ЭЦП (для подписи)",
        "ЭЦҚ кілт файлы (қол қою)",
        "EDS key file (signing)",
    ),
    "key_password": ("Пароль ключа", "Кілт құпиясөзі", "Key password"),
    "sign_button": ("Подписать ЭЦП", "ЭЦҚ-мен қол қою", "Sign with EDS"),
    "key_stays": (
        "Ключ и пароль не покидают страницу: подпись формируется в браузере.",
        "Кілт пен құпиясөз беттен шықпайды: қолтаңба браузерде жасалады.",
        "The key and its password never leave this page: the signature is made in the browser.",
    ),
    "signing": ("Подписание…", "Қол қойылуда…", "Signing…"),
    "sign_js_required": (
        "Для подписания нужен JavaScript.",
        "Қол қою үшін JavaScript қажет.",
        "Signing needs JavaScript.",
    ),
    "eds_password": (
        "Неверный пароль или файл ключа.",
        "Құпиясөз немесе кілт файлы қате.",
        "Wrong password or key file.",
    ),
    "eds_nokey": (
        "В файле нет ключа RSA или ГОСТ 2015 с сертификатом.",
        "Файлда сертификаты бар RSA немесе ГОСТ 2015 кілті жоқ.",
        "The file holds no RSA or GOST 2015 key with its certificate.",
    ),
    "eds_gost2004": (
        "Ключ ГОСТ 34.310-2004: НУЦ РК такие больше не выдаёт, действующих не осталось (ключи живут год). Нужен ключ ГОСТ 2015.",
        "ГОСТ 34.310-2004 кілті: ҚР ҰКО мұндайларды енді бермейді, жарамдысы қалмады (кілттер бір жыл жарамды). ГОСТ 2015 кілті қажет.",
        "A GOST 34.310-2004 key: NCA RK no longer issues these and none is still valid (keys live a year). A GOST 2015 key is needed.",
    ),
    "eds_authkey": (
        "Это ключ для входа (AUTH_…); результат подписывается ключом для подписи (GOST512_… или RSA256_…).",
        "Бұл кіру кілті (AUTH_…); нәтижеге қол қою кілтімен қол қойылады (GOST512_… немесе RSA256_…).",
        "This is a log-in key (AUTH_…); the result is signed with the signing key (GOST512_… or RSA256_…).",
    ),
    "eds_network": (
        "Сервер недоступен, повторите.",
        "Сервер қолжетімсіз, қайталаңыз.",
        "The server cannot be reached; try again.",
    ),
    "certificate": ("Сертификат", "Сертификат", "Certificate"),
    "return_title": ("Вернуть исполнителю", "Орындаушыға қайтару", "Return to the executor"),
    "comment": ("Замечания", "Ескертулер", "Comment"),
    "return_button": ("Вернуть", "Қайтару", "Return"),
    "signed_by": ("Подписано: {who}, {when}", "Қол қойған: {who}, {when}", "Signed: {who}, {when}"),
    # handover
    "handover_title": (
        "Выдача результата на бумажном носителе",
        "Нәтижені қағаз жеткізгіште беру",
        "Hand over the paper result",
    ),
    "print_result": ("Печать результата", "Нәтижені басып шығару", "Print the result"),
    "handed_to": ("Кому выдан (Ф.И.О.)", "Кімге берілді (Т.А.Ә.)", "Handed to (full name)"),
    "handed_to_document": (
        "Документ, удостоверяющий личность",
        "Жеке басты куәландыратын құжат",
        "Identity document",
    ),
    "handed_at": ("Дата выдачи", "Берілген күні", "Date handed over"),
    "handover_button": ("Отметить выдачу", "Беруді белгілеу", "Record the hand-over"),
    "handover_done": (
        "Выдан {when}: {who} ({doc})",
        "{when} берілді: {who} ({doc})",
        "Handed over {when}: {who} ({doc})",
    ),
    "result_print_title": (
        "Результат государственной услуги",
        "Мемлекеттік қызмет нәтижесі",
        "Result",
    ),
    "place_for_seal": ("М.П.", "М.О.", "Seal"),
    "head_signature": ("Руководитель", "Басшы", "Head"),
    # the issued result document and its revocation
    "result_document": ("Документ результата", "Нәтиже құжаты", "Result document"),
    "document_issued": ("Выдан {when}", "{when} берілді", "Issued {when}"),
    "verification_page": (
        "Страница проверки подлинности",
        "Түпнұсқалығын тексеру беті",
        "Public verification page",
    ),
    "document_revoked": (
        "Документ отозван {when}, {who}. Причина: {why}",
        "Құжат {when} кері қайтарылды, {who}. Себебі: {why}",
        "Document revoked {when} by {who}. Reason: {why}",
    ),
    "revoke_open": ("Отозвать документ…", "Құжатты кері қайтару…", "Revoke the document…"),
    "revoke_title": (
        "Отзыв документа результата",
        "Нәтиже құжатын кері қайтару",
        "Revoke the result document",
    ),
    "revoke_warning": (
        "После отзыва страница проверки по QR-коду сообщает, что документ отозван и более "
        "не действует. Отменить отзыв нельзя.",
        "Кері қайтарылғаннан кейін QR-код бойынша тексеру беті құжаттың кері қайтарылғанын "
        "және енді күшінде емес екенін көрсетеді. Кері қайтаруды болдырмау мүмкін емес.",
        "After revocation the verification page behind the QR code says the document is "
        "revoked and no longer in effect. A revocation cannot be undone.",
    ),
    "revocation_reason": ("Причина отзыва", "Кері қайтару себебі", "Reason for revocation"),
    "revoke_button": ("Отозвать документ", "Құжатты кері қайтару", "Revoke the document"),
    "cancel": ("Отмена", "Болдырмау", "Cancel"),
    # dashboard
    "dashboard_title": ("Сводка", "Жиынтық", "Dashboard"),
    "period_from": ("С", "Бастап", "From"),
    "period_until": ("По (включительно)", "Дейін (қоса)", "Until (inclusive)"),
    "col_open": ("В работе", "Орындалуда", "Open"),
    "col_overdue": ("Просрочено", "Мерзімі өткен", "Overdue"),
    "col_completed": ("Завершено за период", "Кезеңде аяқталды", "Completed in period"),
    "col_on_time": ("В срок", "Мерзімінде", "On time"),
    "col_share": ("Доля в срок", "Мерзімінде үлесі", "On-time share"),
    "bad_period": ("Неверный период.", "Кезең қате.", "Invalid period."),
    "total": ("Итого", "Барлығы", "Total"),
    "col_due_today": ("Срок сегодня", "Мерзімі бүгін", "Due today"),
    "dashboard_by_step": ("По этапам", "Кезеңдер бойынша", "By step"),
    "dashboard_by_service": (
        "По услугам и каналам (открытые задачи)",
        "Қызметтер мен арналар бойынша (ашық тапсырмалар)",
        "By service and channel (open tasks)",
    ),
    "col_service_channel": ("Услуга, канал", "Қызмет, арна", "Service, channel"),
    "tasks_title": ("Открытые задачи", "Ашық тапсырмалар", "Open tasks"),
    "open_tasks_table": ("Таблица задач", "Тапсырмалар кестесі", "Table of tasks"),
    "tasks_when_overdue": ("просроченные", "мерзімі өткен", "overdue"),
    "tasks_when_today": ("со сроком сегодня", "мерзімі бүгін", "due today"),
    "tasks_all": ("все открытые задачи", "барлық ашық тапсырмалар", "all open tasks"),
    "to_dashboard": ("К сводке", "Жиынтыққа", "Back to the dashboard"),
    # working time to a due moment (calendar): "2 р. дн. 3 ч 05 мин"
    "left": ("осталось {time}", "{time} қалды", "{time} left"),
    "overdue_by": ("просрочено на {time}", "{time} кешіктірілді", "overdue by {time}"),
    "working_days_short": ("{n} раб. дн.", "{n} жұм. күн", "{n} working d"),
    "hours_short": ("{n} ч", "{n} сағ", "{n} h"),
    "minutes_short": ("{n} мин", "{n} мин", "{n} min"),
    "working_time_note": (
        "рабочее время по календарю",
        "күнтізбе бойынша жұмыс уақыты",
        "working time on the calendar",
    ),
    # process steps, case statuses and channels (the models' labels are Russian only)
    "step_register": ("регистрация заявления", "өтінішті тіркеу", "registration"),
    "step_assign": (
        "выбор ответственного исполнителя",
        "жауапты орындаушыны таңдау",
        "assigning the executor",
    ),
    "step_check": (
        "проверка полноты документов",
        "құжаттардың толықтығын тексеру",
        "completeness check",
    ),
    "step_prepare": ("подготовка результата", "нәтижені дайындау", "preparing the result"),
    "step_sign": (
        "подписание результата руководителем",
        "нәтижеге басшының қол қоюы",
        "signature by the head",
    ),
    "step_handover": (
        "выдача результата на бумажном носителе",
        "нәтижені қағаз жеткізгіште беру",
        "hand-over of the paper result",
    ),
    "status_draft": ("черновик", "жоба", "draft"),
    "status_registered": (
        "зарегистрировано, ожидает назначения исполнителя",
        "тіркелді, орындаушыны тағайындауды күтуде",
        "registered, awaiting an executor",
    ),
    "status_checking": (
        "проверка полноты документов",
        "құжаттардың толықтығын тексеру",
        "completeness check",
    ),
    "status_preparing": ("подготовка результата", "нәтижені дайындау", "preparing the result"),
    "status_signing": ("на подписи у руководителя", "басшының қол қоюында", "awaiting signature"),
    "status_awaiting_handover": (
        "результат готов к выдаче",
        "нәтиже беруге дайын",
        "result ready for hand-over",
    ),
    "status_issued": ("результат выдан", "нәтиже берілді", "result issued"),
    "status_refused": ("мотивированный отказ", "дәлелді бас тарту", "motivated refusal"),
    "status_intake_refused": (
        "отказ в приёме документов",
        "құжаттарды қабылдаудан бас тарту",
        "documents not accepted",
    ),
    "channel_portal": ("портал", "портал", "portal"),
    "channel_office": ("услугодатель", "көрсетілетін қызметті беруші", "provider's office"),
    "role_clerk": ("Сотрудник канцелярии", "Кеңсе қызметкері", "Office clerk"),
    "role_executor": ("Исполнитель", "Орындаушы", "Executor"),
    "role_head": ("Руководитель", "Басшы", "Head"),
    "role_administrator": ("Администратор", "Әкімші", "Administrator"),
    "role_applicant": ("Услугополучатель", "Көрсетілетін қызметті алушы", "Applicant"),
}

_INDEX = {"ru": 0, "kk": 1, "en": 2}


def text(key: str, language: str | None = None, **params) -> str:
    language = (language or translation.get_language() or "ru")[:2]
    value = TEXTS[key][_INDEX.get(language, 0)]
    return value.format(**params) if params else value

"""Refusal codes of the register (cases)."""

from qyzmet.core.refusals import register

register(
    "service_not_in_force_for_new",
    ru="Услуга по этой версии регламента не принимает новые заявления.",
    kk="Регламенттің бұл нұсқасы бойынша қызмет жаңа өтініштерді қабылдамайды.",
    en="This version of the service takes no new applications.",
)
register(
    "draft_moved_to_version",
    ru="Регламент услуги изменён: с {date} действует редакция {version}. Заявление переведено "
    "на неё, всё введённое сохранено. Проверьте заявление и подпишите его снова.",
    kk="Қызмет регламенті өзгертілді: {date} бастап {version} редакциясы қолданылады. Өтініш "
    "соған ауыстырылды, енгізілгеннің бәрі сақталды. Өтінішті тексеріп, қайта қол қойыңыз.",
    en="The regulation of the service has been amended: version {version} applies from {date}. "
    "The application has been moved to it with everything entered kept. Check it and sign it "
    "again.",
)
register(
    "channel_not_offered",
    ru="Услуга не оказывается через выбранный канал.",
    kk="Қызмет таңдалған арна арқылы көрсетілмейді.",
    en="The service is not offered through this channel.",
)
register(
    "recipient_not_allowed",
    ru="Услуга не оказывается этой категории услугополучателей.",
    kk="Қызмет бұл санаттағы көрсетілетін қызметті алушыларға көрсетілмейді.",
    en="The service is not offered to this kind of applicant.",
)
register(
    "form_invalid",
    ru="Данные заявления не соответствуют форме: {field} — {detail}",
    kk="Өтініш деректері нысанға сәйкес емес: {field} — {detail}",
    en="The application data do not match the form: {field} — {detail}",
)
register(
    "applicant_name_required",
    ru="Укажите наименование или ФИО услугополучателя.",
    kk="Көрсетілетін қызметті алушының атауын немесе аты-жөнін көрсетіңіз.",
    en="Give the applicant's name.",
)
register(
    "documents_incomplete",
    ru="Представлен неполный пакет документов (п.9 Стандарта), не хватает: {missing}.",
    kk="Құжаттар топтамасы толық емес (Стандарттың 9-тармағы), жетіспейді: {missing}.",
    en="The set of documents is incomplete (Standard item 9); missing: {missing}.",
)
register(
    "unknown_document",
    ru="Документ «{code}» не входит в перечень документов услуги.",
    kk="«{code}» құжаты қызмет құжаттарының тізбесіне кірмейді.",
    en="Document '{code}' is not in the service's list of documents.",
)
register(
    "attachment_empty",
    ru="Файл «{name}» пуст.",
    kk="«{name}» файлы бос.",
    en="The file '{name}' is empty.",
)
register(
    "attachment_not_chosen",
    ru="Выберите файл, чтобы загрузить его.",
    kk="Жүктеу үшін файлды таңдаңыз.",
    en="Choose a file to upload it.",
)
register(
    "attachment_too_large",
    ru="Файл «{name}» больше допустимого размера {limit_mb} МБ.",
    kk="«{name}» файлы рұқсат етілген {limit_mb} МБ көлемнен үлкен.",
    en="The file '{name}' is larger than the allowed {limit_mb} MB.",
)
register(
    "attachment_type_not_allowed",
    ru="Файл «{name}» не является документом допустимого типа (PDF, JPEG, PNG, TIFF).",
    kk="«{name}» файлы рұқсат етілген түрдегі құжат емес (PDF, JPEG, PNG, TIFF).",
    en="The file '{name}' is not a document of an allowed type (PDF, JPEG, PNG, TIFF).",
)
register(
    "case_finished",
    ru="Работа по заявлению завершена; изменить его нельзя.",
    kk="Өтініш бойынша жұмыс аяқталды; оны өзгертуге болмайды.",
    en="Work on this application is finished; it cannot be changed.",
    status=409,
)
register(
    "wrong_step",
    ru="Это действие недоступно на текущем этапе рассмотрения заявления.",
    kk="Бұл әрекет өтінішті қараудың ағымдағы кезеңінде қолжетімсіз.",
    en="This action is not available at the application's current step.",
    status=409,
)
register(
    "not_your_task",
    ru="Задача назначена другому сотруднику.",
    kk="Тапсырма басқа қызметкерге тағайындалған.",
    en="The task is assigned to another employee.",
    status=409,
)
register(
    "not_a_draft",
    ru="Заявление уже подано; черновик изменить нельзя.",
    kk="Өтініш берілген; жобаны өзгертуге болмайды.",
    en="The application has already been submitted; the draft cannot be changed.",
    status=409,
)
register(
    "draft_too_large",
    ru="Черновик слишком велик.",
    kk="Жоба тым үлкен.",
    en="The draft is too large.",
)
register(
    "signer_not_representative",
    ru="Заявление юридического лица подписывается ключом ЭЦП первого руководителя или лица с правом подписи этого юридического лица.",
    kk="Заңды тұлғаның өтінішіне осы заңды тұлғаның бірінші басшысының немесе қол қою құқығы бар тұлғаның ЭЦҚ кілтімен қол қойылады.",
    en="A legal entity's application must be signed with the EDS key of its first head or of a person with signing right.",
)
# The applicant of a paper package (p.10 процесс 4–5): looked up in GBD FL/UL or typed by hand
# with a reason — on the desk and through the API alike (cases.actions._identified_applicant).
register(
    "office_lookup_required",
    ru="Запросите данные услугополучателя в ГБД ФЛ/ЮЛ или отметьте ручной ввод и укажите причину.",
    kk="Көрсетілетін қызметті алушының деректерін ЖТ/ЗТ МДҚ-дан сұратыңыз немесе қолмен "
    "енгізуді белгілеп, себебін көрсетіңіз.",
    en="Look the applicant up in GBD FL/UL, or tick manual entry and give the reason.",
)
register(
    "office_manual_reason_required",
    ru="Укажите причину ручного ввода данных услугополучателя.",
    kk="Көрсетілетін қызметті алушының деректерін қолмен енгізу себебін көрсетіңіз.",
    en="Give the reason for entering the applicant's data by hand.",
)
register(
    "intake_lookup_invalid",
    ru="Запрос в ГБД ФЛ/ЮЛ не найден, сделан другим сотрудником, о другом ИИН/БИН, не дал "
    "сведений или устарел. Запросите данные услугополучателя снова.",
    kk="ЖТ/ЗТ МДҚ-ға сұрау табылмады, басқа қызметкер жасаған, басқа ЖСН/БСН туралы, "
    "мәлімет бермеген немесе ескірген. Көрсетілетін қызметті алушының деректерін қайта сұратыңыз.",
    en="The GBD FL/UL lookup was not found, was made by another employee, is about another "
    "IIN/BIN, gave no record or is too old. Look the applicant up again.",
)
